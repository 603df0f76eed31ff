package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.Job;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans an outcome out to every JobOutcomeListener bean; one failing listener does not stop the others. */
final class OutcomeListeners implements JobOutcomeListener {
    private static final Logger log = LoggerFactory.getLogger(OutcomeListeners.class);
    private final List<JobOutcomeListener> listeners;

    OutcomeListeners(List<JobOutcomeListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onStart(Job job) { each(job, "onStart", l -> l.onStart(job)); }

    @Override
    public void onRetry(Job job, Throwable error, Duration delay) { each(job, "onRetry", l -> l.onRetry(job, error, delay)); }

    @Override
    public void onParked(Job job, Throwable error, java.time.Instant retryAt) {
        each(job, "onParked", l -> l.onParked(job, error, retryAt));
    }

    @Override
    public void onFinalFailure(Job job, Throwable error) { each(job, "onFinalFailure", l -> l.onFinalFailure(job, error)); }

    @Override
    public void onSuccess(Job job) { each(job, "onSuccess", l -> l.onSuccess(job)); }

    private void each(Job job, String what, Consumer<JobOutcomeListener> call) {
        for (JobOutcomeListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.error("job {}: {} listener {} failed", job.jobId(), what, listener.getClass().getSimpleName(), e);
            }
        }
    }
}
