package io.deksdenflow.orchestrator.common;

/** A job failure that should not be retried; its message ends up in the job_failed event. */
public class JobFailure extends RuntimeException implements NonRetryable {
    public JobFailure(String message) { super(message); }
    public JobFailure(String message, Throwable cause) { super(message, cause); }
}
