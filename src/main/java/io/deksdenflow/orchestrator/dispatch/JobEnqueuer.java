package io.deksdenflow.orchestrator.dispatch;

import io.deksdenflow.orchestrator.common.AfterCommit;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.RequestContext;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.queue.OutboxStore;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Enqueues a job by writing its outbox row in the caller's transaction; once that commits the
 * relay is nudged so the job reaches Redis without waiting for the next poll.
 */
@Component
public class JobEnqueuer {
    /** Published after a transaction that wrote outbox rows has committed. */
    public record OutboxWritten() {}

    private final OutboxStore outbox;
    private final Settings settings;
    private final ApplicationEventPublisher publisher;

    public JobEnqueuer(OutboxStore outbox, Settings settings, ApplicationEventPublisher publisher) {
        this.outbox = outbox;
        this.settings = settings;
        this.publisher = publisher;
    }

    public Job enqueue(JobType type, Long projectId, Long protocolRunId, Long stepRunId) {
        Job job = Job.create(type, projectId, protocolRunId, stepRunId, Math.max(1, settings.getJobMaxAttempts()),
                RequestContext.requestId(), Clock.now());
        outbox.add(job);
        AfterCommit.run(() -> publisher.publishEvent(new OutboxWritten()));
        return job;
    }
}
