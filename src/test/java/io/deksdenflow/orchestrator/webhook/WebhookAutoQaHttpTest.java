package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.testsupport.TestTransitions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** DEKSDENFLOW_AUTO_QA_ON_CI=true: a CI success moves the step to needs_qa and enqueues its QA. */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + WebhookAutoQaHttpTest.SECRET,
        "deksdenflow.auto-qa-on-ci=true"})
class WebhookAutoQaHttpTest extends WebhookTestSupport {
    static final String SECRET = "auto-qa-secret";

    @Autowired
    NamedParameterJdbcTemplate jdbc;

    private long qaJobsFor(long stepId) {
        return jdbc.queryForList("SELECT payload FROM outbox WHERE job_type = 'run_quality_job'", Map.of(), String.class)
                .stream().map(Fixtures::parse)
                .filter(j -> j.path(j.has("step_run_id") ? "step_run_id" : "stepRunId").asLong() == stepId).count();
    }

    @Test
    void ciSuccessOnABlockedStepQueuesItsQa() {
        String sfx = repoSuffix();
        long project = githubProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        StepRun s = executedStep(p, 0, WebhookHttpTest.GH_SUCCESS_SHA);
        TestTransitions.step(steps, steps.get(s.id()), io.deksdenflow.orchestrator.protocol.StepAction.BLOCK);

        assertThat(github("workflow_run", payload("github/workflow_run-completed-success.json", sfx), SECRET).status())
                .isEqualTo(202);

        assertThat(stepStatus(s.id())).isEqualTo("needs_qa");
        JsonNode e = lastEvent(p.id(), "ci_passed");
        assertThat(e.get("step_run_id").asLong()).isEqualTo(s.id());
        assertThat(e.get("metadata").get("auto_qa").asBoolean()).isTrue();
        assertThat(e.get("metadata").get("to").asText()).isEqualTo("needs_qa");
        assertThat(qaJobsFor(s.id())).isEqualTo(1);
    }

    @Test
    void ciSuccessOnACompletedStepOnlyRecords() {
        String sfx = repoSuffix();
        long project = gitlabProject(sfx, Map.of()).get("id").asLong();
        ProtocolRun p = runningProtocol(project, "0001-add-login");
        StepRun s = executedStep(p, 0, "bcbb5ec396a2c0f828686f14fac9b80b780504f2");
        TestTransitions.step(steps, steps.get(s.id()), io.deksdenflow.orchestrator.protocol.StepAction.QA_PASSED);

        assertThat(gitlab("Pipeline Hook", payload("gitlab/pipeline-success.json", sfx), SECRET).status()).isEqualTo(202);

        assertThat(stepStatus(s.id())).isEqualTo("completed");
        assertThat(lastEvent(p.id(), "ci_passed").get("metadata").has("to")).isFalse();
        assertThat(qaJobsFor(s.id())).isZero();
    }
}
