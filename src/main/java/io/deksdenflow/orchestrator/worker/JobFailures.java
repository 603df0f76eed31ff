package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.Parkable;
import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code worker-errors} outcome of a failed attempt: a delayed retry, the dead letter, or — for a
 * {@link Parkable} failure (a usage limit) — a wait until its reset that spends no attempt.
 */
public class JobFailures {
    private static final Logger log = LoggerFactory.getLogger(JobFailures.class);
    private final RetryPolicy policy;
    private final RedisJobQueue queue;
    private final RunningJobs running;
    private final OutcomeListeners listeners;
    private final Duration limitBackoff;
    private final Duration limitMaxWait;

    public JobFailures(RetryPolicy policy, RedisJobQueue queue, RunningJobs running, OutcomeListeners listeners) {
        this(policy, queue, running, listeners, Duration.ofMinutes(5), Duration.ofHours(6));
    }

    /**
     * @param limitBackoff how long a usage limit without a reset time waits
     * @param limitMaxWait the longest any usage limit waits, whatever reset time it names
     */
    public JobFailures(RetryPolicy policy, RedisJobQueue queue, RunningJobs running, OutcomeListeners listeners,
                       Duration limitBackoff, Duration limitMaxWait) {
        this.limitBackoff = limitBackoff;
        this.limitMaxWait = limitMaxWait;
        this.policy = policy;
        this.queue = queue;
        this.running = running;
        this.listeners = listeners;
    }

    /** Records the failure; returns null so that the worker-pool loop does not run anything further. */
    public ClaimedJob onFailure(@Body ClaimedJob claimed, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable error) {
        Job job = claimed.job();
        if (error instanceof WorkerStoppingException) {
            return null; // still held: RunningJobs hands it back to the queue when the worker stops
        }
        try {
            String message = describe(error);
            Parkable limit = parkable(error);
            if (limit != null) {
                Instant retryAt = parkUntil(limit, Instant.ofEpochMilli(Clock.now()));
                if (queue.retryLater(claimed, retryAt.toEpochMilli(), message, false)) {
                    log.warn("job {} ({}) hit a usage limit of {}; waiting until {} (attempt {} not spent): {}",
                            job.jobId(), job.type().api(), limit.source(), retryAt, job.attempt(), message);
                    listeners.onParked(job, error, retryAt);
                }
                return null;
            }
            Duration delay = policy.retryDelay(job.attempt(), job.maxAttempts(), error);
            if (delay != null) {
                if (queue.retryLater(claimed, Clock.now() + delay.toMillis(), message)) {
                    log.warn("job {} ({}) attempt {}/{} failed, retry in {} s: {}", job.jobId(), job.type().api(),
                            job.attempt(), job.maxAttempts(), delay.toSeconds(), message);
                    listeners.onRetry(job, error, delay);
                }
            } else if (queue.fail(claimed, message)) {
                log.warn("job {} ({}) failed on attempt {}/{}: {}", job.jobId(), job.type().api(), job.attempt(),
                        job.maxAttempts(), message);
                listeners.onFinalFailure(job, error);
            }
        } finally {
            running.done(claimed);
        }
        return null;
    }

    /** The reset time when it is known and not past (at most the maximum wait), else the usage-limit backoff. */
    Instant parkUntil(Parkable limit, Instant now) {
        Instant latest = now.plus(limitMaxWait);
        Instant at = limit.retryAt() != null && limit.retryAt().isAfter(now) ? limit.retryAt() : now.plus(limitBackoff);
        return at.isAfter(latest) ? latest : at;
    }

    static Parkable parkable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Parkable p) return p;
        }
        return null;
    }

    static String describe(Throwable error) {
        if (error == null) return "unknown error";
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
