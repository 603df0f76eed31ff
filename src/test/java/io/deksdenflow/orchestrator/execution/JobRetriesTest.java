package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.engine.EngineException;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The retry decision of each job type, as its handler declares it, from the default global settings
 * (3 attempts, backoff 2 s doubling, capped at 60 s): attempt n → the delay before n + 1, or final.
 */
class JobRetriesTest {
    static final RetryPolicy DEFAULTS = RetryPolicy.defaults(3, 2, 60);
    static final Throwable TRANSIENT = new IllegalStateException("GitHub API answered 502: bad gateway");

    /** The handler's own retryPolicy (no dependencies needed: the policy is a function of the defaults). */
    static RetryPolicy policyOf(Class<? extends JobHandler<?>> type) {
        return mock(type, CALLS_REAL_METHODS).retryPolicy(DEFAULTS);
    }

    /** The delays before attempts 2, 3, ... until the first final attempt (null marks it). */
    static List<Duration> delays(RetryPolicy policy, Throwable error) {
        List<Duration> out = new ArrayList<>();
        for (int attempt = 1; attempt <= 20; attempt++) {
            Duration d = policy.retryDelay(attempt, error);
            out.add(d);
            if (d == null) break;
        }
        return out;
    }

    static List<Duration> seconds(Integer... s) {
        List<Duration> out = new ArrayList<>();
        for (Integer x : s) out.add(x == null ? null : Duration.ofSeconds(x));
        return out;
    }

    @Test
    void agentRunsRetryOnceBecauseEachAttemptSpendsTokens() {
        for (Class<? extends JobHandler<?>> type : List.of(PlanProtocolHandler.class, ExecuteStepHandler.class,
                QualityHandler.class, CiFixHandler.class)) {
            RetryPolicy policy = policyOf(type);
            assertThat(policy.maxAttempts()).as(type.getSimpleName()).isEqualTo(2);
            assertThat(delays(policy, new EngineException("codex", 1, false, "model 500", "")))
                    .as(type.getSimpleName()).isEqualTo(seconds(2, null));
        }
    }

    @Test
    void forgeCallsRetryMoreAndFurtherApart() {
        for (Class<? extends JobHandler<?>> type : List.of(OpenPrHandler.class, CiTriageHandler.class)) {
            RetryPolicy policy = policyOf(type);
            assertThat(policy.maxAttempts()).as(type.getSimpleName()).isEqualTo(5);
            assertThat(delays(policy, TRANSIENT)).as(type.getSimpleName()).isEqualTo(seconds(10, 20, 40, 80, null));
            assertThat(delays(policy, new IOException("connection reset"))).as(type.getSimpleName())
                    .isEqualTo(seconds(10, 20, 40, 80, null));
            // a 4xx other than 429 is a JobFailure (ForgeHttp.jobError): a retry cannot fix it
            assertThat(delays(policy, new JobFailure("GitHub API answered 422: validation failed")))
                    .as(type.getSimpleName()).isEqualTo(seconds((Integer) null));
        }
    }

    @Test
    void projectSetupKeepsTheGlobalPolicy() {
        RetryPolicy policy = policyOf(ProjectSetupHandler.class);
        assertThat(policy.maxAttempts()).isEqualTo(3);
        assertThat(delays(policy, new IOException("clone: connection reset"))).isEqualTo(seconds(2, 4, null));
    }

    @Test
    void aMissingRowIsFinalForEveryTypeAndANonRetryableForAll() {
        for (Class<? extends JobHandler<?>> type : List.of(PlanProtocolHandler.class, ExecuteStepHandler.class,
                QualityHandler.class, CiFixHandler.class, OpenPrHandler.class, CiTriageHandler.class,
                ProjectSetupHandler.class)) {
            RetryPolicy policy = policyOf(type);
            assertThat(policy.retryDelay(1, new NotFoundException("protocol run", 7))).as(type.getSimpleName()).isNull();
            assertThat(policy.retryDelay(1, new RuntimeException(new JobFailure("budget")))).as(type.getSimpleName()).isNull();
        }
    }

    @Test
    void thePoliciesScaleWithTheGlobalSettings() {
        RetryPolicy oneAttempt = RetryPolicy.defaults(1, 0, 0);
        assertThat(JobRetries.agentRun(oneAttempt).maxAttempts()).isEqualTo(1);
        assertThat(JobRetries.forgeCall(oneAttempt).maxAttempts()).isEqualTo(3);
        assertThat(JobRetries.forgeCall(oneAttempt).retryDelay(1, TRANSIENT)).isEqualTo(Duration.ZERO);
        assertThat(JobRetries.agentRun(RetryPolicy.defaults(10, 2, 60)).maxAttempts()).isEqualTo(2);
    }

    @Test
    void theHandlersRunTheirTypes() {
        assertThat(mock(OpenPrHandler.class, CALLS_REAL_METHODS).type()).isEqualTo(JobType.OPEN_PR_JOB);
        assertThat(mock(ExecuteStepHandler.class, CALLS_REAL_METHODS).type()).isEqualTo(JobType.EXECUTE_STEP_JOB);
    }
}
