package io.deksdenflow.orchestrator.forge.gitea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.forge.Fixtures;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Gitea / Forgejo webhook payloads ({@code src/test/resources/webhooks/gitea}) → {@link CiStatus}. */
class GiteaTranslatorTest {
    static final String SHA = "5f3c9a2e8d41b07c6e2a9f18d3b4c5a6e7f80912";
    static final List<String> URLS = List.of("https://codeberg.org/acme/demo.git",
            "ssh://git@codeberg.org/acme/demo.git", "https://codeberg.org/acme/demo");

    static CiStatus translate(String event, JsonNode payload) {
        return GiteaTranslator.translate(event, payload).orElseThrow();
    }

    @Test
    void aFailedCommitStatusIsAFailureAboutItsCommit() {
        CiStatus s = translate("status", Fixtures.json("gitea/status-failure.json"));
        assertThat(s.status()).isEqualTo(CiStatus.FAILURE);
        assertThat(s.provider()).isEqualTo("gitea");
        assertThat(s.headSha()).isEqualTo(SHA);
        assertThat(s.branch()).isNull();
        assertThat(s.branches()).isEmpty();
        assertThat(s.checkName()).isEqualTo("ci / build (push)");
        assertThat(s.url()).isEqualTo("https://codeberg.org/acme/demo/actions/runs/57/jobs/0");
        assertThat(s.summary()).isEqualTo("Failing after 1m12s");
        assertThat(s.conclusion()).isEqualTo("failure");
        assertThat(s.eventKind()).isEqualTo("status");
        assertThat(s.runId()).isEqualTo("884512");
        assertThat(s.repository()).isEqualTo("acme/demo");
        assertThat(s.repositoryUrls()).containsExactlyElementsOf(URLS);
        assertThat(s.prState()).isNull();
        assertThat(s.title()).isNull();
        assertThat(s.protocolRunId()).isNull();
        assertThat(s.mergeRequestIid()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"success,success", "failure,failure", "error,failure", "pending,running", "warning,success",
            "SUCCESS,success", "Warning,success"})
    void commitStatesMap(String state, String expected) {
        ObjectNode p = Fixtures.json("gitea/status-failure.json");
        p.put("state", state);
        CiStatus s = translate("status", p);
        assertThat(s.status()).isEqualTo(expected);
        assertThat(s.conclusion()).isEqualTo(state);
    }

    @Test
    void aStatusWithoutBranchValidatesThroughItsHeadSha() {
        CiStatus v = CiStatus.validated(translate("status", Fixtures.json("gitea/status-failure.json")));
        assertThat(v.branch()).isNull();
        assertThat(v.headSha()).isEqualTo(SHA);
        assertThat(v.status()).isEqualTo(CiStatus.FAILURE);
        assertThat(v.provider()).isEqualTo("gitea");
    }

    @Test
    void withoutTargetUrlTheCommitUrlIsTheLink() {
        ObjectNode p = Fixtures.json("gitea/status-failure.json");
        p.put("target_url", "");
        assertThat(translate("status", p).url()).isEqualTo("https://codeberg.org/acme/demo/commit/" + SHA);
        p.remove("commit");
        assertThat(translate("status", p).url()).isNull();
    }

    @Test
    void theEventHeaderIsReadLeniently() {
        assertThat(GiteaTranslator.translate(" Status ", Fixtures.json("gitea/status-failure.json"))).isPresent();
        assertThat(GiteaTranslator.translate("PULL_REQUEST", Fixtures.json("gitea/pull_request-opened.json"))).isPresent();
    }

    @Test
    void aMergedPullRequest() {
        CiStatus s = translate("pull_request", Fixtures.json("gitea/pull_request-closed-merged.json"));
        assertThat(s.prState()).isEqualTo(CiStatus.PR_MERGED);
        assertThat(s.status()).isNull();
        assertThat(s.branch()).isEqualTo("0001-add-login");
        assertThat(s.headSha()).isEqualTo(SHA);
        assertThat(s.runId()).isEqualTo("7");
        assertThat(s.url()).isEqualTo("https://codeberg.org/acme/demo/pulls/7");
        assertThat(s.title()).isEqualTo("Add login form");
        assertThat(s.conclusion()).isEqualTo("closed");
        assertThat(s.eventKind()).isEqualTo("pull_request");
        assertThat(s.provider()).isEqualTo("gitea");
        assertThat(s.repository()).isEqualTo("acme/demo");
        assertThat(s.repositoryUrls()).containsExactlyElementsOf(URLS);
        assertThat(s.checkName()).isNull();
        assertThat(CiStatus.validated(s).isMerged()).isTrue();
    }

    @Test
    void mergedAtAloneCountsAsMerged() {
        ObjectNode p = Fixtures.json("gitea/pull_request-closed-merged.json");
        ((ObjectNode) p.get("pull_request")).remove("merged");
        assertThat(translate("pull_request", p).prState()).isEqualTo(CiStatus.PR_MERGED);
    }

    @Test
    void aClosedUnmergedPullRequest() {
        CiStatus s = translate("pull_request", Fixtures.json("gitea/pull_request-closed.json"));
        assertThat(s.prState()).isEqualTo(CiStatus.PR_CLOSED);
        assertThat(s.branch()).isEqualTo("0001-add-login");
        assertThat(s.runId()).isEqualTo("7");
        assertThat(CiStatus.validated(s).prState()).isEqualTo("closed");
    }

    @Test
    void anOpenedAndAReopenedPullRequest() {
        ObjectNode p = Fixtures.json("gitea/pull_request-opened.json");
        CiStatus s = translate("pull_request", p);
        assertThat(s.prState()).isEqualTo(CiStatus.PR_OPENED);
        assertThat(s.title()).isEqualTo("WIP: Add login form");
        assertThat(s.branch()).isEqualTo("0001-add-login");
        assertThat(s.runId()).isEqualTo("7");
        p.put("action", "reopened");
        assertThat(translate("pull_request", p).prState()).isEqualTo(CiStatus.PR_OPENED);
    }

    @Test
    void newCommitsOnThePullRequestAreAnUpdate() {
        CiStatus s = translate("pull_request", Fixtures.json("gitea/pull_request-synchronized.json"));
        assertThat(s.prState()).isEqualTo(CiStatus.PR_UPDATED);
        assertThat(s.headSha()).isEqualTo("7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4");
        assertThat(s.branch()).isEqualTo("0001-add-login");
        assertThat(s.conclusion()).isEqualTo("synchronized");
    }

    @Test
    void theNumberOutsideThePullRequestIsTheFallbackRunId() {
        ObjectNode p = Fixtures.json("gitea/pull_request-opened.json");
        ((ObjectNode) p.get("pull_request")).remove("number");
        assertThat(translate("pull_request", p).runId()).isEqualTo("7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"edited", "assigned", "label_updated", "reviewed", "review_requested", ""})
    void otherPullRequestActionsAreIgnored(String action) {
        ObjectNode p = Fixtures.json("gitea/pull_request-edited.json");
        p.put("action", action);
        assertThat(GiteaTranslator.translate("pull_request", p)).isEmpty();
    }

    @Test
    void theEditedFixtureIsIgnored() {
        assertThat(GiteaTranslator.translate("pull_request", Fixtures.json("gitea/pull_request-edited.json"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"push", "create", "delete", "issues", "issue_comment", "release", "workflow_run", "ping", "pull_request_sync"})
    void pushAndOtherEventsAreIgnored(String event) {
        assertThat(GiteaTranslator.translate(event, Fixtures.json("gitea/push.json"))).isEmpty();
        assertThat(GiteaTranslator.translate(event, Fixtures.json("gitea/status-failure.json"))).isEmpty();
    }

    @Test
    void missingOrMalformedFieldsGiveNothingNeverAnException() {
        ObjectNode status = Fixtures.json("gitea/status-failure.json");
        ObjectNode noState = status.deepCopy();
        noState.remove("state");
        ObjectNode noSha = status.deepCopy();
        noSha.putNull("sha");
        ObjectNode noAction = Fixtures.json("gitea/pull_request-opened.json");
        noAction.remove("action");
        ObjectNode noPr = Fixtures.json("gitea/pull_request-opened.json");
        noPr.putNull("pull_request");
        for (Object[] c : new Object[][] {{"status", noState}, {"status", noSha}, {"pull_request", noAction},
                {"pull_request", noPr}, {"status", Fixtures.parse("[]")}, {"status", Fixtures.parse("\"x\"")},
                {"status", Fixtures.parse("{}")}, {"pull_request", Fixtures.parse("{}")}, {"status", null},
                {null, status}}) {
            assertThat(GiteaTranslator.translate((String) c[0], (JsonNode) c[1])).isEmpty();
        }
    }

    @Test
    void oddlyTypedFieldsDoNotThrow() {
        ObjectNode p = Fixtures.json("gitea/pull_request-closed-merged.json");
        p.putArray("repository");
        ((ObjectNode) p.get("pull_request")).put("head", "0001-add-login");
        Optional<CiStatus> s = GiteaTranslator.translate("pull_request", p);
        assertThat(s).get().satisfies(x -> {
            assertThat(x.prState()).isEqualTo(CiStatus.PR_MERGED);
            assertThat(x.branch()).isNull();
            assertThat(x.repository()).isNull();
            assertThat(x.repositoryUrls()).isEmpty();
        });
        ObjectNode st = Fixtures.json("gitea/status-failure.json");
        st.putObject("context");
        st.put("id", 1.5);
        assertThatCode(() -> GiteaTranslator.translate("status", st)).doesNotThrowAnyException();
        assertThat(translate("status", st).checkName()).isNull();
    }
}
