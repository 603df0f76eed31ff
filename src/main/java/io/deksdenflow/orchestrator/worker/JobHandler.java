package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.NonRetryable;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;

/**
 * The one shape of a job handler: the job type it runs, its precondition (the rows it needs, in the status it
 * needs them), the work, and its retry policy. {@link JobPerformer} owns the rest: the job's log context, the
 * precondition check and its skip, the timeout and cancellation, and the outcome by the policy.
 *
 * <p>{@link #handle} throws to fail the attempt: a {@link NonRetryable} exception (or a class the policy names)
 * fails the job at once; anything else is retried while the policy has attempts left. Long work should check
 * {@link JobContext#cancelled()} or register {@link JobContext#onCancel(Runnable)}.
 *
 * @param <T> what the precondition read and hands to the work (e.g. the protocol run and its step)
 */
public interface JobHandler<T> {
    JobType type();

    /** Reads what the job works on: {@link Precondition#ready} with it, or {@link Precondition#skip} with why not. */
    Precondition<T> precondition(Job job);

    void handle(JobContext ctx, T target) throws Exception;

    /** This type's policy, derived from the global {@code defaults}; the defaults unless the type differs. */
    default RetryPolicy retryPolicy(RetryPolicy defaults) {
        return defaults;
    }
}
