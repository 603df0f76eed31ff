package io.deksdenflow.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.RetryAfter;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class WorkerRetryPolicyTest {
    final RetryPolicy policy = RetryPolicy.defaults(3, 2, 60);

    @Test
    void backoffDoublesPerAttemptAndIsCapped() {
        RetryPolicy many = policy.withAttempts(1000);
        assertThat(many.backoff(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(many.backoff(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(many.backoff(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(many.backoff(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(many.backoff(6)).isEqualTo(Duration.ofSeconds(60));
        assertThat(many.backoff(400)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retriesUntilTheLastAttempt() {
        IOException transient_ = new IOException("connection reset");
        assertThat(policy.retryDelay(1, transient_)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.retryDelay(2, transient_)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.retryDelay(3, transient_)).isNull();
        assertThat(policy.withAttempts(1).retryDelay(1, transient_)).isNull();
    }

    /** A failure whose other side asked for a wait (an HTTP Retry-After). */
    static final class AskedToWait extends IOException implements RetryAfter {
        final Duration wait;

        AskedToWait(Duration wait) {
            super("HTTP 429");
            this.wait = wait;
        }

        @Override
        public Duration retryAfter() { return wait; }
    }

    @Test
    void aRetryAfterIsHonouredWithinTheCapAndSpendsAnAttempt() {
        assertThat(policy.retryDelay(1, new AskedToWait(Duration.ofSeconds(30)))).isEqualTo(Duration.ofSeconds(30));
        // never shorter than the backoff, never longer than the cap
        assertThat(policy.retryDelay(2, new AskedToWait(Duration.ofSeconds(1)))).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.retryDelay(1, new AskedToWait(Duration.ofDays(365)))).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.retryDelay(1, new IllegalStateException(new AskedToWait(Duration.ofSeconds(10)))))
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.retryDelay(3, new AskedToWait(Duration.ofSeconds(10)))).isNull();
    }

    @Test
    void nonRetryableFailuresAreFinalEvenWhenWrapped() {
        assertThat(policy.retryDelay(1, new JobFailure("budget"))).isNull();
        assertThat(policy.retryDelay(1, new ValidationException("x", "bad"))).isNull();
        assertThat(policy.retryDelay(1, new RuntimeException(new JobTimedOutException(Duration.ofSeconds(5))))).isNull();
        assertThat(policy.retryDelay(1, new JobTypeUnavailableException(JobType.OPEN_PR_JOB))).isNull();
    }

    @Test
    void theClassesAPolicyNamesAreFinalAnywhereInTheChainAndOthersStillRetry() {
        RetryPolicy strict = policy.neverRetrying(IllegalArgumentException.class);
        assertThat(strict.retryDelay(1, new RuntimeException(new IllegalArgumentException("bad id")))).isNull();
        assertThat(strict.retryDelay(1, new IOException("reset"))).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.retryDelay(1, new IllegalArgumentException("bad id"))).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aHandlersPolicyIsDerivedFromTheDefaultsAndTheRegistryKeepsItPerType() {
        JobHandler<Object> forge = handler(JobType.OPEN_PR_JOB, d -> d.withAttempts(5).withBackoff(10, 300));
        HandlerRegistry registry = new HandlerRegistry(List.of(forge, new NoopJobHandler()), policy);
        assertThat(registry.policy(JobType.OPEN_PR_JOB).retryDelay(4, new IOException("502"))).isEqualTo(Duration.ofSeconds(80));
        assertThat(registry.policy(JobType.OPEN_PR_JOB).retryDelay(5, new IOException("502"))).isNull();
        assertThat(registry.policy(JobType.NOOP_JOB)).isEqualTo(policy);
        assertThat(registry.policy(JobType.RUN_QUALITY_JOB)).as("no handler: the defaults").isEqualTo(policy);
    }

    static JobHandler<Object> handler(JobType type, UnaryOperator<RetryPolicy> declared) {
        return new JobHandler<>() {
            public JobType type() { return type; }
            public Precondition<Object> precondition(Job job) { return Precondition.ready(job); }
            public void handle(JobContext ctx, Object target) {}
            public RetryPolicy retryPolicy(RetryPolicy defaults) { return declared.apply(defaults); }
        };
    }
}
