package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.time.Duration;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code worker-errors} outcome of a failed attempt: a delayed retry, or the dead letter. */
public class JobFailures {
    private static final Logger log = LoggerFactory.getLogger(JobFailures.class);
    private final RetryPolicy policy;
    private final RedisJobQueue queue;
    private final RunningJobs running;
    private final OutcomeListeners listeners;

    public JobFailures(RetryPolicy policy, RedisJobQueue queue, RunningJobs running, OutcomeListeners listeners) {
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
            Duration delay = policy.retryDelay(job.attempt(), job.maxAttempts(), error);
            String message = describe(error);
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

    static String describe(Throwable error) {
        if (error == null) return "unknown error";
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
