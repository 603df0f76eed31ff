package io.deksdenflow.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerRetryPolicyTest {
    final RetryPolicy policy = new RetryPolicy(2, 60);

    @Test
    void backoffDoublesPerAttemptAndIsCapped() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.backoff(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(policy.backoff(6)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.backoff(400)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retriesUntilTheLastAttempt() {
        IOException transient_ = new IOException("connection reset");
        assertThat(policy.retryDelay(1, 3, transient_)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.retryDelay(2, 3, transient_)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.retryDelay(3, 3, transient_)).isNull();
        assertThat(policy.retryDelay(1, 1, transient_)).isNull();
    }

    @Test
    void nonRetryableFailuresAreFinalEvenWhenWrapped() {
        assertThat(policy.retryDelay(1, 3, new JobFailure("budget"))).isNull();
        assertThat(policy.retryDelay(1, 3, new ValidationException("x", "bad"))).isNull();
        assertThat(policy.retryDelay(1, 3, new RuntimeException(new JobTimedOutException(Duration.ofSeconds(5))))).isNull();
        assertThat(policy.retryDelay(1, 3, new JobTypeUnavailableException(io.deksdenflow.orchestrator.queue.JobType.OPEN_PR_JOB)))
                .isNull();
    }
}
