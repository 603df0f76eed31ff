package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobOutcomeListener;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * A {@code notify_job} that failed for good outside its handler — its worker died on the last attempt and a takeover
 * dead-lettered it, or it timed out — leaves its delivery {@code failed} in the log, not {@code pending} for ever.
 * (The handler records its own last attempt; a delivered row is never changed.)
 */
@Component
class NotifyOutcomes implements JobOutcomeListener {
    private final DeliveryStore deliveries;

    NotifyOutcomes(DeliveryStore deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void onFinalFailure(Job job, Throwable error) {
        if (job.type() != JobType.NOTIFY_JOB) return;
        deliveries.byJobId(job.jobId()).filter(d -> d.status() == Delivery.Status.PENDING).ifPresent(d ->
                deliveries.attempted(d.id(), job.attempt(), Delivery.Status.FAILED,
                        "the job failed for good: " + error.getMessage(), null));
    }

    @Override
    public void onStart(Job job) {}

    @Override
    public void onRetry(Job job, Throwable error, Duration delay) {}

    @Override
    public void onSuccess(Job job) {}
}
