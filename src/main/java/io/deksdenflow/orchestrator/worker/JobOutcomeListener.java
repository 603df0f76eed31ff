package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.Job;
import java.time.Duration;

/**
 * Told what happened to each job this worker ran. Only {@link #onFinalFailure} is final; a retry
 * will run the job again with attempt + 1 after {@code delay}.
 */
public interface JobOutcomeListener {
    void onStart(Job job);

    void onRetry(Job job, Throwable error, Duration delay);

    void onFinalFailure(Job job, Throwable error);

    /** The job waits for a usage limit until {@code retryAt}, without spending an attempt. */
    default void onParked(Job job, Throwable error, java.time.Instant retryAt) {}

    void onSuccess(Job job);
}
