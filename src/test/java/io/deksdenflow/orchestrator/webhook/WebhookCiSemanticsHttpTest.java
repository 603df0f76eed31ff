package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The CI semantics on real payload shapes (api role: no worker runs the jobs, so the rows and outbox
 * show what a delivery decided): superseded commits, cancelled/skipped/approval-waiting runs, GitLab
 * merge-request refs mapped through the stored MR iid, and the one-triage-per-failing-sha claim.
 */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + WebhookCiSemanticsHttpTest.SECRET})
class WebhookCiSemanticsHttpTest extends WebhookTestSupport {
    static final String SECRET = "semantics-secret";
    static final String OLD_SHA = "1111111111111111111111111111111111111111";

    @Autowired
    CiLoopStore ciLoop;
    @Autowired
    NamedParameterJdbcTemplate jdbc;

    private static byte[] withConclusion(String fixture, String sfx, String conclusion, String sha) {
        ObjectNode p = (ObjectNode) Fixtures.parse(new String(payload(fixture, sfx), StandardCharsets.UTF_8));
        ObjectNode run = (ObjectNode) p.get("workflow_run");
        run.put("status", "completed").put("conclusion", conclusion).put("head_branch", "0001-add-login");
        if (sha != null) run.put("head_sha", sha);
        return p.toString().getBytes(StandardCharsets.UTF_8);
    }

    private long triageJobs(long protocolId) {
        return jdbc.queryForList("SELECT payload FROM outbox WHERE job_type = 'ci_triage_job'", Map.of(), String.class)
                .stream().map(Fixtures::parse)
                .filter(j -> j.path(j.has("protocol_run_id") ? "protocol_run_id" : "protocolRunId").asLong() == protocolId)
                .count();
    }

    @Test
    void aFailureOfASupersededCommitIsRecordedAndChangesNothing() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        StepRun s = executedStep(p, 0, WebhookHttpTest.GH_SUCCESS_SHA);
        ciLoop.setHead(p.id(), WebhookHttpTest.GH_SUCCESS_SHA);

        Http.Response r = github("workflow_run", withConclusion("github/workflow_run-completed-failure.json", sfx,
                "failure", OLD_SHA), SECRET);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("results").get(0).get("action").asText()).isEqualTo("superseded");
        JsonNode e = lastEvent(p.id(), "ci_superseded");
        assertThat(e.get("metadata").get("superseded").asBoolean()).isTrue();
        assertThat(e.get("metadata").get("head_sha").asText()).isEqualTo(OLD_SHA);
        assertThat(e.get("metadata").get("branch_head").asText()).isEqualTo(WebhookHttpTest.GH_SUCCESS_SHA);
        assertThat(protocolStatus(p.id())).isEqualTo("running");
        assertThat(stepStatus(s.id())).isEqualTo("needs_qa");
        assertThat(eventTypes(p.id())).doesNotContain("ci_failed", "step_blocked");
    }

    @Test
    void cancelledSkippedAndApprovalWaitingRunsChangeNothing() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        StepRun s = executedStep(p, 0, WebhookHttpTest.GH_SUCCESS_SHA);
        Map<String, String> expected = Map.of("cancelled", "ci_cancelled", "skipped", "ci_skipped",
                "stale", "ci_skipped", "action_required", "ci_action_required");
        expected.forEach((conclusion, type) -> {
            assertThat(github("workflow_run", withConclusion("github/workflow_run-completed-failure.json", sfx,
                    conclusion, WebhookHttpTest.GH_SUCCESS_SHA), SECRET).status()).isEqualTo(202);
            assertThat(lastEvent(p.id(), type).get("metadata").get("conclusion").asText()).isEqualTo(conclusion);
        });
        ObjectNode gl = (ObjectNode) Fixtures.parse(new String(payload("gitlab/pipeline-success.json", sfx),
                StandardCharsets.UTF_8));
        ((ObjectNode) gl.get("object_attributes")).put("status", "canceled");
        String glSfx = repoSuffix();
        long glProject = gitlabProject(glSfx, Map.of()).get("id").asLong();
        ProtocolRun glRun = runningProtocol(glProject, "0001-add-login");
        executedStep(glRun, 0, "bcbb5ec396a2c0f828686f14fac9b80b780504f2");
        byte[] body = gl.toString().replace(GL_REPO + sfx, GL_REPO + glSfx).getBytes(StandardCharsets.UTF_8);
        assertThat(gitlab("Pipeline Hook", body, SECRET).status()).isEqualTo(202);
        assertThat(lastEvent(glRun.id(), "ci_cancelled").get("metadata").get("conclusion").asText()).isEqualTo("canceled");

        assertThat(protocolStatus(p.id())).isEqualTo("running");
        assertThat(stepStatus(s.id())).isEqualTo("needs_qa");
        assertThat(protocolStatus(glRun.id())).isEqualTo("running");
        assertThat(eventTypes(p.id())).doesNotContain("ci_failed", "step_blocked", "ci_running");
    }

    @Test
    void gitlabMergeRequestRefsMapThroughTheStoredIid() {
        String sfx = repoSuffix();
        long project = gitlabProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        ProtocolRun other = runningProtocol(project, "0002-other");
        StepRun s = executedStep(p, 0, "bcbb5ec396a2c0f828686f14fac9b80b780504f2");
        ciLoop.setPrNumber(p.id(), 42);
        ciLoop.setPrNumber(other.id(), 43);
        ObjectNode job = (ObjectNode) Fixtures.parse(new String(payload("gitlab/job-failed.json", sfx), StandardCharsets.UTF_8));
        job.put("ref", "refs/merge-requests/42/head").put("sha", "bcbb5ec396a2c0f828686f14fac9b80b780504f2");

        Http.Response r = gitlab("Job Hook", job.toString().getBytes(StandardCharsets.UTF_8), SECRET);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("results")).hasSize(1);
        assertThat(r.json().get("results").get(0).get("protocol_run_id").asLong()).isEqualTo(p.id());
        assertThat(lastEvent(p.id(), "ci_failed").get("metadata").get("merge_request_iid").asLong()).isEqualTo(42);
        assertThat(stepStatus(s.id())).isEqualTo("blocked");
        assertThat(protocolStatus(other.id())).isEqualTo("running");

        job.put("ref", "refs/merge-requests/99/head");
        Http.Response unknown = gitlab("Job Hook", job.toString().getBytes(StandardCharsets.UTF_8), SECRET);
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(unknown.json().get("status").asText()).isEqualTo("ignored");
        assertThat(unknown.json().get("reason").asText()).contains("!99");
    }

    @Test
    void aPullRequestSynchronizeMovesTheKnownHead() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0005-export");
        executedStep(p, 0, OLD_SHA);
        ciLoop.setHead(p.id(), OLD_SHA);
        ObjectNode pr = (ObjectNode) Fixtures.parse(new String(payload("github/pull_request-opened.json", sfx), StandardCharsets.UTF_8));
        pr.put("action", "synchronize");
        String newHead = pr.get("pull_request").get("head").get("sha").asText();

        assertThat(github("pull_request", pr.toString().getBytes(StandardCharsets.UTF_8), SECRET).status()).isEqualTo(202);

        assertThat(ciLoop.head(p.id())).contains(newHead);
        assertThat(lastEvent(p.id(), "pr_updated").get("metadata").get("head_sha").asText()).isEqualTo(newHead);
    }

    @Test
    void withAForgeTokenAFailureIsTriagedOncePerSha() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of("secrets", Map.of("GITHUB_TOKEN", "ghp_semantics"))).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        StepRun s = executedStep(p, 0, WebhookHttpTest.GH_SUCCESS_SHA);
        ciLoop.setHead(p.id(), WebhookHttpTest.GH_SUCCESS_SHA);
        byte[] failure = withConclusion("github/workflow_run-completed-failure.json", sfx, "failure",
                WebhookHttpTest.GH_SUCCESS_SHA);

        Http.Response first = github("workflow_run", failure, SECRET);
        Http.Response second = github("workflow_run", failure, SECRET); // another delivery about the same commit

        assertThat(first.json().get("results").get(0).get("action").asText()).isEqualTo("triage_queued");
        assertThat(second.json().get("results").get(0).get("action").asText()).isEqualTo("recorded");
        assertThat(lastEvent(p.id(), "ci_failure_repeated").get("metadata").get("already_handled").asBoolean()).isTrue();
        assertThat(triageJobs(p.id())).isEqualTo(1);
        CiLoopStore.Fix fix = ciLoop.find(p.id(), WebhookHttpTest.GH_SUCCESS_SHA, CiLoopStore.KIND_FIX).orElseThrow();
        assertThat(fix.status()).isEqualTo(CiLoopStore.QUEUED);
        assertThat(fix.attempt()).isEqualTo(1);
        assertThat(fix.stepRunId()).isEqualTo(s.id());
        assertThat(fix.ciRef().get("run_id")).isEqualTo(Fixtures.parse(new String(failure, StandardCharsets.UTF_8))
                .get("workflow_run").get("id").asText());
        // the triage job decides: until it ran nothing is blocked
        assertThat(protocolStatus(p.id())).isEqualTo("running");
    }
}
