package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.common.NotBefore;
import io.deksdenflow.orchestrator.common.Parkable;
import io.deksdenflow.orchestrator.common.RequestContext;
import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobRecord;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job this worker holds to its outcome, in one place (as JobRunr's {@code BackgroundJobPerformer}
 * does): the job's ids in the log context, {@code onStart}, then under the job timeout and the job's
 * cancellation the handler's {@link JobHandler#precondition} (unmet: the skip and its reason are recorded and
 * the job finishes) and its work, then the outcome by the type's {@link RetryPolicy} — the queue state and
 * the {@link JobOutcomeListener} call that go with it:
 *
 * <table>
 * <tr><th>the attempt</th><th>queue state</th><th>listener</th></tr>
 * <tr><td>returned</td><td>{@code finished} (ack; the next job comes back in the same round trip)</td>
 *     <td>{@code onSuccess}</td></tr>
 * <tr><td>the worker is stopping</td><td>still held: {@link RunningJobs} hands it back unchanged</td>
 *     <td>none</td></tr>
 * <tr><td>a {@link Parkable} failure (usage limit)</td><td>{@code delayed} until the reset, attempt not
 *     spent</td><td>{@code onParked}</td></tr>
 * <tr><td>{@link NotBefore} (a debounce, a forge's rate limit)</td><td>{@code delayed} until then (capped),
 *     attempt not spent</td><td>none</td></tr>
 * <tr><td>a failure the type's policy retries, attempts left</td><td>{@code delayed} by the policy's
 *     backoff, attempt + 1</td><td>{@code onRetry}</td></tr>
 * <tr><td>anything else: non-retryable (cancelled, timed out, no handler, {@code JobFailure}, a class the
 *     policy names, ...) or the policy's last attempt</td><td>{@code failed} (dead letter)</td>
 *     <td>{@code onFinalFailure}</td></tr>
 * </table>
 *
 * The type's attempts are the policy's, not the ones stamped at enqueue: a retry or dead letter records them
 * as the job's {@code max_attempts}, and a job taken over past them fails without running.
 * {@link #attempt} runs the job and {@link #record} records the outcome, so that {@code worker-errors} can
 * redeliver the recording alone when Redis refused it, without running the job again.
 *
 * A state change that does not apply (another worker took the job over after this one lost its lease) calls
 * no listener: the job's outcome is the new holder's. A job whose lease expired on its last attempt while its
 * worker was gone is dead-lettered by the takeover ({@link #diedWithItsWorker}). Only a failure to reach Redis
 * while recording the outcome leaves this class, still holding the job: route configuration
 * {@link WorkerErrors} lets go of it, and the job, still pending in the stream, is taken over after its lease.
 */
final class JobPerformer {
    private static final Logger log = LoggerFactory.getLogger(JobPerformer.class);

    /**
     * A finished attempt whose outcome is not recorded yet: {@code failure} null when it succeeded (or skipped);
     * {@code lease} its protocol's lease, released once the outcome is recorded.
     */
    record Attempt(ClaimedJob claimed, Job job, RetryPolicy policy, Throwable failure, ProtocolLeases.Lease lease) {
        Attempt(ClaimedJob claimed, Job job, RetryPolicy policy, Throwable failure) {
            this(claimed, job, policy, failure, null);
        }

        void releaseLease() {
            if (lease != null) lease.close();
        }
    }

    private final HandlerRegistry handlers;
    private final RunningJobs running;
    private final RedisJobQueue queue;
    private final CompletionBatcher acks;
    private final UsageLimitWait limits;
    private final OutcomeListeners listeners;
    private final Duration timeout;
    private final ProtocolLeases leases;

    JobPerformer(HandlerRegistry handlers, RunningJobs running, RedisJobQueue queue, CompletionBatcher acks,
                 UsageLimitWait limits, OutcomeListeners listeners, Duration timeout) {
        this(handlers, running, queue, acks, limits, listeners, timeout, ProtocolLeases.none());
    }

    JobPerformer(HandlerRegistry handlers, RunningJobs running, RedisJobQueue queue, CompletionBatcher acks,
                 UsageLimitWait limits, OutcomeListeners listeners, Duration timeout, ProtocolLeases leases) {
        this.leases = leases;
        this.handlers = handlers;
        this.running = running;
        this.queue = queue;
        this.acks = acks;
        this.limits = limits;
        this.listeners = listeners;
        this.timeout = timeout;
    }

    /**
     * Runs the held job and records its outcome; returns the next job this thread now holds (fetched with the
     * ack of a success), or null.
     */
    ClaimedJob perform(ClaimedJob claimed) {
        Attempt attempt = attempt(claimed);
        return attempt == null ? null : record(attempt);
    }

    /** Runs the held job (or finds it past its type's attempts); null when it was handed back before it started. */
    Attempt attempt(ClaimedJob claimed) {
        JobContext ctx = running.context(claimed);
        if (ctx == null) return null; // handed back (the worker is stopping) before it started
        RetryPolicy policy = handlers.policy(claimed.job().type());
        Job job = claimed.job().maxAttempts() == policy.maxAttempts()
                ? claimed.job() : claimed.job().withMaxAttempts(policy.maxAttempts());
        enterLogContext(job);
        // one job per protocol in its worktree at a time, across workers; a busy protocol's job waits in the
        // delayed set without spending an attempt (and without onStart: it did not start). The lease is held
        // until the outcome is recorded (record); a renewal that finds it lost cancels the job (retried).
        ProtocolLeases.Lease lease;
        try {
            lease = leases.acquire(job, () -> ctx.cancelWith(new ProtocolLeaseLostException("protocol "
                    + job.protocolRunId() + ": this worker lost the protocol's lease while the job ran")));
        } catch (RuntimeException e) { // Redis refused: this attempt fails (retried by the policy), nothing ran
            return new Attempt(claimed, job, policy, e);
        }
        if (!lease.granted()) return new Attempt(claimed, job, policy, leases.busy(job));
        try {
            listeners.onStart(job);
            if (job.attempt() > policy.maxAttempts()) {
                // taken over after its worker went silent, past what its type allows (the stamp said more)
                return new Attempt(claimed, job, policy, new JobFailure("attempt " + job.attempt() + " is past the "
                        + policy.maxAttempts() + " attempts of " + job.type().api() + ": " + job.type().api()
                        + " is not run again after its worker went silent"), lease);
            }
            return new Attempt(claimed, job, policy, runHandler(claimed, ctx), lease);
        } catch (RuntimeException | Error e) {
            lease.close();
            throw e;
        }
    }

    /**
     * Records the attempt's outcome in the queue and tells the listeners; returns the next job the ack handed
     * over, or null. A failure to reach Redis leaves here with nothing recorded (the attempt can be recorded again).
     */
    ClaimedJob record(Attempt attempt) {
        boolean handedOver = false;
        try {
            if (attempt.failure() == null) {
                handedOver = true; // the ack releases the lease once it is answered (or given up)
                return succeeded(attempt);
            }
            failed(attempt);
            return null;
        } finally {
            if (!handedOver) attempt.releaseLease();
            leaveLogContext();
        }
    }

    /** The precondition and the handler, under the job timeout and the job's cancellation; returns why it failed, or null. */
    private Throwable runHandler(ClaimedJob claimed, JobContext ctx) {
        ScheduledFuture<?> timer = running.timers().schedule(
                () -> ctx.cancelWith(new JobTimedOutException(timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        Throwable failure = null;
        ctx.bind(Thread.currentThread());
        try {
            work(handlers.find(claimed.job().type()), ctx);
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

    /** The work when its precondition holds; else the skip, recorded with its reason (a failure to record it fails the attempt). */
    static <T> void work(JobHandler<T> handler, JobContext ctx) throws Exception {
        Precondition<T> precondition = handler.precondition(ctx.job());
        if (precondition instanceof Precondition.Skip<T> skip) {
            skip.record().run();
            log.info("job {} ({}) skipped: {}", ctx.job().jobId(), ctx.job().type().api(), LogText.escape(skip.reason()));
            return;
        }
        handler.handle(ctx, ((Precondition.Ready<T>) precondition).target());
    }

    private ClaimedJob succeeded(Attempt attempt) {
        return acks.complete(attempt.claimed(), attempt.job(), running.accepting(), attempt::releaseLease);
    }

    private void failed(Attempt attempt) {
        ClaimedJob claimed = attempt.claimed();
        Job job = attempt.job();
        Throwable error = attempt.failure();
        if (error instanceof WorkerStoppingException) {
            return; // still held: RunningJobs hands it back to the queue, unchanged, when the worker stops
        }
        String message = describe(error);
        Parkable limit = parkable(error);
        int max = job.maxAttempts();
        NotBefore notBefore = error instanceof NotBefore n ? n : null;
        if (notBefore != null) {
            Instant now = Instant.ofEpochMilli(Clock.now());
            Instant until = limits.capped(notBefore.at(), now);
            if (queue.retryLater(claimed, until.toEpochMilli(), message, false, max)) {
                if (notBefore instanceof ProtocolLeases.Busy) {
                    log.debug("job {} ({}) waits until {}: {}", job.jobId(), job.type().api(), until, LogText.escape(message));
                } else {
                    log.info("job {} ({}) waits until {}: {}", job.jobId(), job.type().api(), until, LogText.escape(message));
                }
            }
        } else if (limit != null) {
            Instant until = limits.parkUntil(limit, Instant.ofEpochMilli(Clock.now()));
            if (queue.retryLater(claimed, until.toEpochMilli(), message, false, max)) {
                log.warn("job {} ({}) hit a usage limit of {}; waiting until {} (attempt {} not spent): {}",
                        job.jobId(), job.type().api(), limit.source(), until, job.attempt(), LogText.escape(message));
                listeners.onParked(job, error, until);
            }
        } else {
            Duration delay = attempt.policy().retryDelay(job.attempt(), error);
            if (delay != null) {
                if (queue.retryLater(claimed, Clock.now() + delay.toMillis(), message, true, max)) {
                    log.warn("job {} ({}) attempt {}/{} failed, retry in {} s: {}", job.jobId(), job.type().api(),
                            job.attempt(), max, delay.toSeconds(), LogText.escape(message));
                    listeners.onRetry(job, error, delay);
                }
            } else if (queue.fail(claimed, message, max)) {
                log.warn("job {} ({}) failed on attempt {}/{}: {}", job.jobId(), job.type().api(), job.attempt(),
                        max, LogText.escape(message));
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

    /** The job's ids in the log context of everything the attempt logs (cleared once its outcome is recorded). */
    private static void enterLogContext(Job job) {
        RequestContext.put(RequestContext.JOB_ID, job.jobId());
        RequestContext.put(RequestContext.PROJECT_ID, job.projectId());
        RequestContext.put(RequestContext.PROTOCOL_RUN_ID, job.protocolRunId());
        RequestContext.put(RequestContext.STEP_RUN_ID, job.stepRunId());
        RequestContext.put(RequestContext.REQUEST_ID, job.requestId());
    }

    private static void leaveLogContext() {
        for (String key : List.of(RequestContext.JOB_ID, RequestContext.PROJECT_ID, RequestContext.PROTOCOL_RUN_ID,
                RequestContext.STEP_RUN_ID, RequestContext.REQUEST_ID)) {
            RequestContext.put(key, null);
        }
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
