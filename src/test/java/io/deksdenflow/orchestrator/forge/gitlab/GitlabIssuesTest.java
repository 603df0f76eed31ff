package io.deksdenflow.orchestrator.forge.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.forge.Fixtures;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GitLab {@code Issue Hook} deliveries, on the payload GitLab documents (gitlab-docs/issue.json) and variants of it. */
class GitlabIssuesTest {
    private final GitlabForge forge = new GitlabForge(new GitlabSettings("https://gitlab.com/api/v4"),
            new ForgeHttp(new ObjectMapper()));

    private static ObjectNode documented() {
        return Fixtures.json("gitlab-docs/issue.json");
    }

    private static ObjectNode withAction(String action) {
        ObjectNode p = documented();
        ((ObjectNode) p.get("object_attributes")).put("action", action);
        return p;
    }

    private static ArrayNode labels(String... titles) {
        ArrayNode a = Fixtures.MAPPER.createArrayNode();
        for (String t : titles) a.addObject().put("id", t.hashCode()).put("title", t).put("type", "ProjectLabel");
        return a;
    }

    private static ObjectNode labelUpdate(List<String> before, List<String> after) {
        ObjectNode p = withAction("update");
        ObjectNode changes = Fixtures.MAPPER.createObjectNode();
        ObjectNode l = changes.putObject("labels");
        l.set("previous", labels(before.toArray(String[]::new)));
        l.set("current", labels(after.toArray(String[]::new)));
        p.set("changes", changes);
        p.set("labels", labels(after.toArray(String[]::new)));
        return p;
    }

    @Test
    void theDocumentedOpenIssue() {
        IssueEvent e = forge.issueEvent("Issue Hook", documented()).orElseThrow();
        assertThat(e.provider()).isEqualTo("gitlab");
        assertThat(e.action()).isEqualTo(IssueEvent.Action.OPENED);
        assertThat(e.number()).isEqualTo(23);
        assertThat(e.title()).isEqualTo("New API: create/update/delete file");
        assertThat(e.body()).isEqualTo("Create new API for manipulations with repository");
        assertThat(e.url()).isEqualTo("http://example.com/diaspora/issues/23");
        // changes.labels, when present, are the labels after the event
        assertThat(e.labels()).containsExactly("Platform");
        assertThat(e.repository()).isEqualTo("gitlabhq/gitlab-test");
        assertThat(e.repositoryUrls()).contains("http://example.com/gitlabhq/gitlab-test.git",
                "git@example.com:gitlabhq/gitlab-test.git", "http://example.com/gitlabhq/gitlab-test");
        // without a header the object_kind decides
        assertThat(forge.issueEvent(null, documented())).contains(e);
    }

    @Test
    void reopenCloseAndLabelUpdates() {
        assertThat(forge.issueEvent("Issue Hook", withAction("reopen")).orElseThrow().action())
                .isEqualTo(IssueEvent.Action.REOPENED);
        assertThat(forge.issueEvent("Issue Hook", withAction("close")).orElseThrow().action())
                .isEqualTo(IssueEvent.Action.CLOSED);

        IssueEvent added = forge.issueEvent("Issue Hook", labelUpdate(List.of("API"), List.of("API", "deksdenflow")))
                .orElseThrow();
        assertThat(added.action()).isEqualTo(IssueEvent.Action.LABELED);
        assertThat(added.changedLabels()).containsExactly("deksdenflow");
        assertThat(added.labels()).containsExactly("API", "deksdenflow");

        IssueEvent removed = forge.issueEvent("Issue Hook", labelUpdate(List.of("API", "deksdenflow"), List.of("API")))
                .orElseThrow();
        assertThat(removed.action()).isEqualTo(IssueEvent.Action.UNLABELED);
        assertThat(removed.changedLabels()).containsExactly("deksdenflow");
        assertThat(removed.hasLabel("deksdenflow")).isFalse();
    }

    @Test
    void otherUpdatesConfidentialIssuesAndOtherHooksAreNotIssueEvents() {
        ObjectNode titleOnly = withAction("update");
        titleOnly.remove("changes");
        assertThat(forge.issueEvent("Issue Hook", titleOnly)).isEmpty();
        ObjectNode confidential = documented();
        ((ObjectNode) confidential.get("object_attributes")).put("confidential", true);
        assertThat(forge.issueEvent("Issue Hook", confidential)).isEmpty();
        assertThat(forge.issueEvent("Confidential Issue Hook", documented())).isEmpty();
        assertThat(forge.issueEvent("Merge Request Hook", Fixtures.json("gitlab-docs/merge_request.json"))).isEmpty();
        assertThat(forge.issueEvent(null, Fixtures.json("gitlab-docs/push.json"))).isEmpty();
        ObjectNode noIid = documented();
        ((ObjectNode) noIid.get("object_attributes")).remove("iid");
        assertThat(forge.issueEvent("Issue Hook", noIid)).isEmpty();
    }
}
