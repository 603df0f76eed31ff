package io.deksdenflow.orchestrator.dispatch;

import io.deksdenflow.orchestrator.common.AfterCommit;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.RequestContext;
import io.deksdenflow.orchestrator.queue.QueueSettings;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.queue.OutboxRoutes;
import io.deksdenflow.orchestrator.queue.OutboxStore;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Enqueues a job by writing its outbox row in the caller's transaction; once that commits, route
 * {@code queue-outbox-relay} is nudged ({@link OutboxRoutes#NUDGE}) so the job reaches Redis without
 * waiting for the next poll.
 */
@Component
public class JobEnqueuer {
    private static final Logger log = LoggerFactory.getLogger(JobEnqueuer.class);
    private final OutboxStore outbox;
    private final QueueSettings settings;
    private final ProducerTemplate producer;

    public JobEnqueuer(OutboxStore outbox, QueueSettings settings, ProducerTemplate producer) {
        this.outbox = outbox;
        this.settings = settings;
        this.producer = producer;
    }

    public Job enqueue(JobType type, Long projectId, Long protocolRunId, Long stepRunId) {
        Job job = Job.create(type, projectId, protocolRunId, stepRunId, Math.max(1, settings.jobMaxAttempts()),
                RequestContext.requestId(), Clock.now());
        outbox.add(job);
        AfterCommit.run(this::nudgeRelay);
        return job;
    }

    /** Never fails the committed caller: at worst the job waits for the relay's next poll. */
    private void nudgeRelay() {
        try {
            producer.sendBody(OutboxRoutes.NUDGE, null);
        } catch (RuntimeException e) {
            log.debug("outbox relay nudge failed; the next poll relays the job: {}", e.toString());
        }
    }
}
