package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.common.Parkable;
import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobRecord;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job this worker holds to its outcome, in one place (as JobRunr's {@code BackgroundJobPerformer}
 * does): {@code onStart}, the handler under the job timeout and the job's cancellation, then the outcome —
 * the queue state and the {@link JobOutcomeListener} call that go with it:
 *
 * <table>
 * <tr><th>the attempt</th><th>queue state</th><th>listener</th></tr>
 * <tr><td>returned</td><td>{@code finished} (ack; the next job comes back in the same round trip)</td>
 *     <td>{@code onSuccess}</td></tr>
 * <tr><td>the worker is stopping</td><td>still held: {@link RunningJobs} hands it back unchanged</td>
 *     <td>none</td></tr>
 * <tr><td>a {@link Parkable} failure (usage limit)</td><td>{@code delayed} until the reset, attempt not
 *     spent</td><td>{@code onParked}</td></tr>
 * <tr><td>a retryable failure with attempts left</td><td>{@code delayed} by {@link RetryPolicy}'s backoff,
 *     attempt + 1</td><td>{@code onRetry}</td></tr>
 * <tr><td>anything else: non-retryable (cancelled, timed out, no handler, {@code JobFailure}, ...) or the
 *     last attempt</td><td>{@code failed} (dead letter)</td><td>{@code onFinalFailure}</td></tr>
 * </table>
 *
 * A state change that does not apply (another worker took the job over after this one lost its lease) calls
 * no listener: the job's outcome is the new holder's. A job whose lease expired on its last attempt while its
 * worker was gone is dead-lettered by the takeover ({@link #diedWithItsWorker}). Only a failure to reach Redis
 * while recording the outcome leaves this class, still holding the job: route configuration
 * {@link WorkerErrors} lets go of it, and the job, still pending in the stream, is taken over after its lease.
 */
final class JobPerformer {
    private static final Logger log = LoggerFactory.getLogger(JobPerformer.class);

    private final HandlerRegistry handlers;
    private final RunningJobs running;
    private final RedisJobQueue queue;
    private final CompletionBatcher acks;
    private final RetryPolicy policy;
    private final OutcomeListeners listeners;
    private final Duration timeout;

    JobPerformer(HandlerRegistry handlers, RunningJobs running, RedisJobQueue queue, CompletionBatcher acks,
                 RetryPolicy policy, OutcomeListeners listeners, Duration timeout) {
        this.handlers = handlers;
        this.running = running;
        this.queue = queue;
        this.acks = acks;
        this.policy = policy;
        this.listeners = listeners;
        this.timeout = timeout;
    }

    /**
     * Runs the held job and records its outcome; returns the next job this thread now holds (fetched with the
     * ack of a success), or null.
     */
    ClaimedJob perform(ClaimedJob claimed) {
        JobContext ctx = running.context(claimed);
        if (ctx == null) return null; // handed back (the worker is stopping) before it started
        listeners.onStart(claimed.job());
        Throwable failure = runHandler(claimed, ctx);
        if (failure == null) return succeeded(claimed);
        failed(claimed, failure);
        return null;
    }

    /** The handler, under the job timeout and the job's cancellation; returns why the attempt failed, or null. */
    private Throwable runHandler(ClaimedJob claimed, JobContext ctx) {
        ScheduledFuture<?> timer = running.timers().schedule(
                () -> ctx.cancelWith(new JobTimedOutException(timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        Throwable failure = null;
        ctx.bind(Thread.currentThread());
        try {
            handlers.find(claimed.job().type()).handle(ctx);
        } catch (Throwable e) { // an Error too: it is this attempt's failure, not the worker's
            failure = e;
        } finally {
            ctx.unbind();
            Thread.interrupted(); // a cancel's interrupt must not hit the next job on this thread
            timer.cancel(false);
        }
        // cancelled (signal, timeout, lease lost, shutdown): that is the outcome, whatever the handler did after
        if (ctx.cancelled()) return ctx.cancellation();
        if (failure instanceof InterruptedException && !running.accepting()) return new WorkerStoppingException();
        return failure;
    }

    private ClaimedJob succeeded(ClaimedJob claimed) {
        RedisJobQueue.Completion completion = acks.complete(claimed, running.accepting());
        if (completion.applied()) listeners.onSuccess(claimed.job());
        if (completion.next() != null) running.handOver(claimed, completion.next());
        else running.done(claimed);
        return completion.next();
    }

    private void failed(ClaimedJob claimed, Throwable error) {
        Job job = claimed.job();
        if (error instanceof WorkerStoppingException) {
            return; // still held: RunningJobs hands it back to the queue, unchanged, when the worker stops
        }
        String message = describe(error);
        Parkable limit = parkable(error);
        if (limit != null) {
            Instant until = policy.parkUntil(limit, Instant.ofEpochMilli(Clock.now()));
            if (queue.retryLater(claimed, until.toEpochMilli(), message, false)) {
                log.warn("job {} ({}) hit a usage limit of {}; waiting until {} (attempt {} not spent): {}",
                        job.jobId(), job.type().api(), limit.source(), until, job.attempt(), LogText.escape(message));
                listeners.onParked(job, error, until);
            }
        } else {
            Duration delay = policy.retryDelay(job.attempt(), job.maxAttempts(), error);
            if (delay != null) {
                if (queue.retryLater(claimed, Clock.now() + delay.toMillis(), message)) {
                    log.warn("job {} ({}) attempt {}/{} failed, retry in {} s: {}", job.jobId(), job.type().api(),
                            job.attempt(), job.maxAttempts(), delay.toSeconds(), LogText.escape(message));
                    listeners.onRetry(job, error, delay);
                }
            } else if (queue.fail(claimed, message)) {
                log.warn("job {} ({}) failed on attempt {}/{}: {}", job.jobId(), job.type().api(), job.attempt(),
                        job.maxAttempts(), LogText.escape(message));
                listeners.onFinalFailure(job, error);
            }
        }
        running.done(claimed);
    }

    /** A takeover found the job's lease expired on its last attempt (its worker died) and dead-lettered it. */
    void diedWithItsWorker(JobRecord dead) {
        log.warn("job {} failed: {}", dead.jobId(), LogText.escape(dead.lastError()));
        listeners.onFinalFailure(dead.toJob(), new JobCancelledException(dead.lastError()));
    }

    static Parkable parkable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Parkable p) return p;
        }
        return null;
    }

    static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
