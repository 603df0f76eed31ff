package io.deksdenflow.orchestrator.forge.github;

import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GithubTranslatorTest {

    private static CiStatus translate(String event, String fixture) {
        Optional<CiStatus> s = GithubTranslator.translate(event, Fixtures.json("github/" + fixture));
        assertThat(s).isPresent();
        return s.get();
    }

    @Test
    void workflowRunSuccess() {
        CiStatus s = translate("workflow_run", "workflow_run-completed-success.json");
        assertThat(s.status()).isEqualTo("success");
        assertThat(s.provider()).isEqualTo("github");
        assertThat(s.branch()).isEqualTo("0001-add-login");
        assertThat(s.headSha()).isEqualTo("acb5820ced9479c074f688cc328bf03f341a511d");
        assertThat(s.checkName()).isEqualTo("CI");
        assertThat(s.url()).isEqualTo("https://github.com/Acme/demo/actions/runs/30433642");
        assertThat(s.title()).isEqualTo("feat(auth): login form [protocol-0001/02]");
        assertThat(s.conclusion()).isEqualTo("success");
        assertThat(s.eventKind()).isEqualTo("workflow_run");
        assertThat(s.repository()).isEqualTo("Acme/demo");
        assertThat(s.repositoryUrls()).contains("https://github.com/Acme/demo.git", "git@github.com:Acme/demo.git",
                "https://github.com/Acme/demo");
        assertThat(s.prState()).isNull();
        assertThat(s.protocolRunId()).isNull();
        assertThat(CiStatus.validated(s)).isEqualTo(s);
    }

    @Test
    void workflowRunTimedOutIsFailure() {
        CiStatus s = translate("workflow_run", "workflow_run-completed-failure.json");
        assertThat(s.status()).isEqualTo("failure");
        assertThat(s.conclusion()).isEqualTo("timed_out");
        assertThat(s.branchCandidates()).containsExactly("feature/0002-fix-cache", "0002-fix-cache");
    }

    @Test
    void workflowRunInProgressIsRunning() {
        CiStatus s = translate("workflow_run", "workflow_run-in_progress.json");
        assertThat(s.status()).isEqualTo("running");
        assertThat(s.conclusion()).isEqualTo("in_progress");
    }

    @Test
    void checkSuiteNeutralIsSuccess() {
        CiStatus s = translate("check_suite", "check_suite-completed.json");
        assertThat(s.status()).isEqualTo("success");
        assertThat(s.branch()).isEqualTo("0003-docs");
        assertThat(s.headSha()).isEqualTo("ec26c3e57ca3a959ca5aad62de7213c562f8c821");
        assertThat(s.checkName()).isEqualTo("GitHub Actions");
        assertThat(s.eventKind()).isEqualTo("check_suite");
        // the suite's own url is the REST API's: the event links the commit's checks page instead
        assertThat(s.url()).isEqualTo("https://github.com/Acme/demo/commit/ec26c3e57ca3a959ca5aad62de7213c562f8c821/checks");
    }

    @Test
    void statusMapsThroughEveryListedBranch() {
        ObjectNode p = Fixtures.json("github/status-success.json");
        var branches = p.putArray("branches");
        branches.addObject().put("name", "master");
        branches.addObject().put("name", "0001-add-login");
        CiStatus s = CiStatus.validated(GithubTranslator.translate("status", p).orElseThrow());
        assertThat(s.branch()).isEqualTo("master");
        assertThat(s.branches()).containsExactly("master", "0001-add-login");
        assertThat(s.branchCandidates()).contains("master", "0001-add-login");
    }

    @Test
    void aStatusMatchedThroughItsSecondBranchRecordsThatBranchNotTheFirst() {
        ObjectNode p = Fixtures.json("github/status-success.json");
        var branches = p.putArray("branches");
        branches.addObject().put("name", "master");
        branches.addObject().put("name", "0001-add-login");
        CiStatus s = CiStatus.validated(GithubTranslator.translate("status", p).orElseThrow());

        CiStatus forRun = s.onBranchOf("0001-add-login");
        assertThat(forRun.branch()).isEqualTo("0001-add-login");
        assertThat(forRun.branches()).containsExactly("master", "0001-add-login");
        // a run on the first branch, or one no branch names, keeps the status as it came
        assertThat(s.onBranchOf("master")).isSameAs(s);
        assertThat(s.onBranchOf("0002-other")).isSameAs(s);
        assertThat(CiStatus.of("jenkins", "refs/heads/0001-add-login", "success").onBranchOf("0001-add-login").branch())
                .isEqualTo("refs/heads/0001-add-login");
    }

    @Test
    void pullRequestSynchronizeIsAnUpdateWithTheNewHead() {
        ObjectNode p = Fixtures.json("github/pull_request-opened.json");
        p.put("action", "synchronize");
        CiStatus s = GithubTranslator.translate("pull_request", p).orElseThrow();
        assertThat(s.prState()).isEqualTo("updated");
        assertThat(s.headSha()).isEqualTo(p.get("pull_request").get("head").get("sha").asText());
    }

    @Test
    void checkRunCarriesOutputTitleAndSummary() {
        CiStatus s = translate("check_run", "check_run-completed-failure.json");
        assertThat(s.status()).isEqualTo("failure");
        assertThat(s.conclusion()).isEqualTo("failure");
        assertThat(s.branch()).isEqualTo("feature/0001-add-login");
        assertThat(s.checkName()).isEqualTo("unit-tests");
        assertThat(s.url()).isEqualTo("https://github.com/Acme/demo/runs/128620228");
        assertThat(s.title()).isEqualTo("2 tests failed");
        assertThat(s.summary()).contains("LoginTest.rejectsBadPassword");
        assertThat(s.eventKind()).isEqualTo("check_run");
    }

    @Test
    void checkRunFallsBackToDetailsUrl() {
        ObjectNode p = Fixtures.json("github/check_run-completed-failure.json");
        ((ObjectNode) p.get("check_run")).remove("html_url");
        assertThat(GithubTranslator.translate("check_run", p).orElseThrow().url())
                .isEqualTo("https://ci.example.com/builds/42");
    }

    @Test
    void statusEventUsesFirstBranchContextAndTargetUrl() {
        CiStatus s = translate("status", "status-success.json");
        assertThat(s.status()).isEqualTo("success");
        assertThat(s.branch()).isEqualTo("0004-ci-status");
        assertThat(s.checkName()).isEqualTo("continuous-integration/jenkins");
        assertThat(s.url()).isEqualTo("https://ci.example.com/job/demo/17/");
        assertThat(s.summary()).isEqualTo("The build succeeded");
        assertThat(s.headSha()).isEqualTo("6113728f27ae82c7b1a177c8d03f9e96e0adf246");
        assertThat(s.eventKind()).isEqualTo("status");
    }

    @Test
    void statusEventWithoutBranchesHasNullBranch() {
        ObjectNode p = Fixtures.json("github/status-success.json");
        p.putArray("branches");
        p.put("state", "error");
        CiStatus s = GithubTranslator.translate("status", p).orElseThrow();
        assertThat(s.status()).isEqualTo("failure");
        assertThat(s.branch()).isNull();
        assertThat(CiStatus.validated(s.withProtocolRunId(7L)).protocolRunId()).isEqualTo(7L);
    }

    @Test
    void pullRequestMerged() {
        CiStatus s = translate("pull_request", "pull_request-closed.json");
        assertThat(s.prState()).isEqualTo("merged");
        assertThat(s.isMerged()).isTrue();
        assertThat(s.status()).isNull();
        assertThat(s.branch()).isEqualTo("0001-add-login");
        assertThat(s.url()).isEqualTo("https://github.com/Acme/demo/pull/12");
        assertThat(s.title()).isEqualTo("0001-add-login: add the login form");
        assertThat(s.eventKind()).isEqualTo("pull_request");
        assertThat(CiStatus.validated(s).prState()).isEqualTo("merged");
    }

    @Test
    void pullRequestClosedUnmerged() {
        ObjectNode p = Fixtures.json("github/pull_request-closed.json");
        ObjectNode pr = (ObjectNode) p.get("pull_request");
        pr.put("merged", false);
        pr.putNull("merged_at");
        assertThat(GithubTranslator.translate("pull_request", p).orElseThrow().prState()).isEqualTo("closed");
    }

    @Test
    void pullRequestOpenedAndOtherActions() {
        ObjectNode p = Fixtures.json("github/pull_request-opened.json");
        assertThat(GithubTranslator.translate("pull_request", p).orElseThrow().prState()).isEqualTo("opened");
        p.put("action", "labeled");
        assertThat(GithubTranslator.translate("pull_request", p)).isEmpty();
    }

    @Test
    void pingUnknownAndBrokenPayloadsAreEmpty() {
        assertThat(GithubTranslator.translate("ping", Fixtures.json("github/ping.json"))).isEmpty();
        assertThat(GithubTranslator.translate("push", Fixtures.json("github/ping.json"))).isEmpty();
        assertThat(GithubTranslator.translate(null, Fixtures.json("github/ping.json"))).isEmpty();
        assertThat(GithubTranslator.translate("workflow_run", null)).isEmpty();
        assertThat(GithubTranslator.translate("workflow_run", Fixtures.parse("[1,2]"))).isEmpty();
        assertThat(GithubTranslator.translate("workflow_run", Fixtures.parse("{}"))).isEmpty();
        assertThat(GithubTranslator.translate("check_run", Fixtures.parse("{\"check_run\": null}"))).isEmpty();
        assertThat(GithubTranslator.translate("status", Fixtures.parse("{\"sha\": \"x\"}"))).isEmpty();
    }

    @Test
    void eventHeaderIsCaseInsensitive() {
        assertThat(GithubTranslator.translate("Workflow_Run ", Fixtures.json("github/workflow_run-completed-success.json")))
                .isPresent();
    }

    @ParameterizedTest
    @CsvSource({
        "completed,success,success", "completed,neutral,success", "completed,failure,failure",
        "completed,timed_out,failure", "completed,cancelled,cancelled", "completed,action_required,action_required",
        "completed,startup_failure,failure", "completed,skipped,skipped", "completed,stale,skipped",
        "queued,,running", "in_progress,,running", "requested,,running", "waiting,,running",
        "pending,,running", "completed,,running"
    })
    void workflowRunStatusMapping(String status, String conclusion, String expected) {
        ObjectNode p = Fixtures.json("github/workflow_run-completed-success.json");
        ObjectNode run = (ObjectNode) p.get("workflow_run");
        run.put("status", status);
        if (conclusion == null) {
            run.putNull("conclusion");
        } else {
            run.put("conclusion", conclusion);
        }
        assertThat(GithubTranslator.translate("workflow_run", p).orElseThrow().status()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"success,success", "failure,failure", "error,failure", "pending,running"})
    void statusStateMapping(String state, String expected) {
        ObjectNode p = Fixtures.json("github/status-success.json");
        p.put("state", state);
        assertThat(GithubTranslator.translate("status", p).orElseThrow().status()).isEqualTo(expected);
    }
}
