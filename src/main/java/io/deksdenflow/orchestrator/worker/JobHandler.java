package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.NonRetryable;
import io.deksdenflow.orchestrator.queue.JobType;

/**
 * Does the work of one job type. Throw a {@link NonRetryable}
 * exception to fail at once; anything else is retried with backoff. Long work should check
 * {@link JobContext#cancelled()} or register {@link JobContext#onCancel(Runnable)}.
 */
public interface JobHandler {
    JobType type();

    void handle(JobContext ctx) throws Exception;
}
