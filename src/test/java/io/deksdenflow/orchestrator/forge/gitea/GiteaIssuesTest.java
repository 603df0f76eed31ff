package io.deksdenflow.orchestrator.forge.gitea;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.forge.Fixtures;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import org.junit.jupiter.api.Test;

/** Gitea / Forgejo {@code issues} deliveries ({@code IssuePayload}, see webhooks/gitea/README.md). */
class GiteaIssuesTest {
    private final GiteaForge forge = new GiteaForge(new GiteaSettings(""), new ForgeHttp(new ObjectMapper()));

    private static ObjectNode payload(String action) {
        return Fixtures.json("gitea/issues-label_updated.json").put("action", action);
    }

    private IssueEvent event(ObjectNode p) {
        return forge.issueEvent("issues", p).orElseThrow();
    }

    @Test
    void aLabelUpdateIsLabeledAndDecidedByTheIssuesLabels() {
        IssueEvent e = event(Fixtures.json("gitea/issues-label_updated.json"));
        assertThat(e.provider()).isEqualTo("gitea");
        assertThat(e.action()).isEqualTo(IssueEvent.Action.LABELED);
        assertThat(e.number()).isEqualTo(12);
        assertThat(e.title()).isEqualTo("Add a logout button");
        assertThat(e.body()).startsWith("The header needs a logout button");
        assertThat(e.url()).isEqualTo("https://codeberg.org/acme/demo/issues/12");
        assertThat(e.labels()).containsExactly("deksdenflow");
        assertThat(e.changedLabels()).isEmpty();
        assertThat(e.repository()).isEqualTo("acme/demo");
        assertThat(e.repositoryUrls()).contains("https://codeberg.org/acme/demo.git",
                "ssh://git@codeberg.org/acme/demo.git", "https://codeberg.org/acme/demo");
    }

    @Test
    void openedReopenedClosedAndCleared() {
        assertThat(event(payload("opened")).action()).isEqualTo(IssueEvent.Action.OPENED);
        assertThat(event(payload("reopened")).action()).isEqualTo(IssueEvent.Action.REOPENED);
        assertThat(event(payload("closed")).action()).isEqualTo(IssueEvent.Action.CLOSED);
        ObjectNode cleared = payload("label_cleared");
        ((ObjectNode) cleared.get("issue")).putArray("labels");
        IssueEvent e = event(cleared);
        assertThat(e.action()).isEqualTo(IssueEvent.Action.UNLABELED);
        assertThat(e.labels()).isEmpty();
    }

    @Test
    void otherActionsPullRequestsAndOtherEventsAreNotIssueEvents() {
        assertThat(forge.issueEvent("issues", payload("edited"))).isEmpty();
        assertThat(forge.issueEvent("issues", payload("assigned"))).isEmpty();
        ObjectNode pull = payload("opened");
        ((ObjectNode) pull.get("issue")).putObject("pull_request").put("merged", false);
        assertThat(forge.issueEvent("issues", pull)).isEmpty();
        assertThat(forge.issueEvent("pull_request", Fixtures.json("gitea/pull_request-opened.json"))).isEmpty();
        assertThat(forge.issueEvent("issue_comment", payload("opened"))).isEmpty();
    }
}
