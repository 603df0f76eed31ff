package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.JobFailure;

/** The worker process is stopping: the job is handed back to the queue, not failed or retried. */
final class WorkerStoppingException extends JobFailure {
    WorkerStoppingException() { super("worker shutting down; job handed back to the queue"); }
}
