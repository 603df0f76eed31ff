package io.deksdenflow.orchestrator.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.forge.Fixtures;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** GitHub {@code issues} deliveries, on the examples GitHub publishes (@octokit/webhooks-examples). */
class GithubIssuesTest {
    private final GithubForge forge = new GithubForge(new GithubSettings("https://api.github.com"),
            new ForgeHttp(new ObjectMapper()));

    /** Every {@code issues} example with {@code action}. */
    private static List<ObjectNode> examples(String action) {
        try (InputStream in = new GZIPInputStream(
                Fixtures.class.getResourceAsStream("/webhooks/octokit/webhooks-examples-7.6.1.json.gz"))) {
            List<ObjectNode> out = new ArrayList<>();
            for (JsonNode event : Fixtures.MAPPER.readTree(in)) {
                if (!event.path("name").asText().equals("issues")) continue;
                for (JsonNode ex : event.path("examples")) {
                    if (ex.path("action").asText().equals(action)) out.add((ObjectNode) ex);
                }
            }
            assertThat(out).as("examples of issues." + action).isNotEmpty();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IssueEvent event(ObjectNode payload) {
        return forge.issueEvent("issues", payload).orElseThrow();
    }

    @Test
    void openedCarriesTheIssueAndItsRepository() {
        for (ObjectNode ex : examples("opened")) {
            IssueEvent e = event(ex);
            assertThat(e.provider()).isEqualTo("github");
            assertThat(e.action()).isEqualTo(IssueEvent.Action.OPENED);
            assertThat(e.number()).isEqualTo(1);
            assertThat(e.title()).isEqualTo("Spelling error in the README file");
            assertThat(e.url()).isEqualTo("https://github.com/Codertocat/Hello-World/issues/1");
            assertThat(e.labels()).containsExactly("bug");
            assertThat(e.changedLabels()).isEmpty();
            assertThat(e.repository()).isEqualTo("Codertocat/Hello-World");
            assertThat(e.repositoryUrls()).contains("https://github.com/Codertocat/Hello-World.git",
                    "git@github.com:Codertocat/Hello-World.git", "https://github.com/Codertocat/Hello-World");
            assertThat(e.body()).isNotNull();
        }
        assertThat(examples("opened").stream().map(this::event).map(IssueEvent::body))
                .anyMatch(b -> b.startsWith("It looks like you accidently spelled")).anyMatch(String::isEmpty);
    }

    @Test
    void labeledAndUnlabeledNameTheLabel() {
        for (ObjectNode ex : examples("labeled")) {
            IssueEvent e = event(ex);
            assertThat(e.action()).isEqualTo(IssueEvent.Action.LABELED);
            assertThat(e.changedLabels()).containsExactly("bug");
            assertThat(e.hasLabel("BUG")).isTrue();
        }
        for (ObjectNode ex : examples("unlabeled")) {
            assertThat(event(ex).action()).isEqualTo(IssueEvent.Action.UNLABELED);
            assertThat(event(ex).changedLabels()).containsExactly("bug");
        }
    }

    @Test
    void reopenedAndClosed() {
        ObjectNode reopened = examples("reopened").get(0);
        assertThat(event(reopened).action()).isEqualTo(IssueEvent.Action.REOPENED);
        ObjectNode closed = reopened.deepCopy().put("action", "closed");
        assertThat(event(closed).action()).isEqualTo(IssueEvent.Action.CLOSED);
    }

    @Test
    void otherActionsEventsAndPullRequestsAreNotIssueEvents() {
        for (String action : List.of("edited", "assigned", "locked", "pinned", "deleted", "transferred")) {
            for (ObjectNode ex : examples(action)) {
                assertThat(forge.issueEvent("issues", ex)).as(action).isEmpty();
            }
        }
        // milestoned examples are on a pull request (issue.pull_request is set)
        ObjectNode onPull = examples("milestoned").get(0).deepCopy().put("action", "labeled");
        assertThat(forge.issueEvent("issues", onPull)).isEmpty();
        ObjectNode opened = examples("opened").get(0);
        assertThat(forge.issueEvent("issue_comment", opened)).isEmpty();
        assertThat(forge.issueEvent(null, opened)).isEmpty();
        assertThat(forge.issueEvent("issues", Fixtures.parse("[]"))).isEmpty();
        ObjectNode untitled = opened.deepCopy();
        ((ObjectNode) untitled.get("issue")).putNull("title");
        assertThat(forge.issueEvent("issues", untitled)).isEmpty();
    }

    @Test
    void titleAndBodyAreBounded() {
        ObjectNode big = examples("opened").get(0).deepCopy();
        ((ObjectNode) big.get("issue")).put("title", "t".repeat(5000)).put("body", "b".repeat(IssueEvent.MAX_BODY + 10));
        IssueEvent e = event(big);
        assertThat(e.title()).hasSize(IssueEvent.MAX_TITLE);
        assertThat(e.body()).hasSize(IssueEvent.MAX_BODY);
    }
}
