package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventTrigger;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a recorded event that is a {@link NotifyKind} into one delivery per channel that wants the kind: a
 * {@code notify_deliveries} row and its {@code notify_job}, in the event's own transaction (so a notification is
 * never lost after its event committed, and never sent for an event that rolled back). The sending is the job's
 * ({@link NotifyJobHandler}), on a worker: a slow or failing channel never delays or fails the protocol.
 */
@Component
class Notifier implements EventTrigger {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);
    private final NotifyChannels channels;
    private final DeliveryStore deliveries;
    private final JobEnqueuer jobs;
    private final TransactionTemplate savepoint;

    Notifier(NotifyChannels channels, DeliveryStore deliveries, JobEnqueuer jobs, PlatformTransactionManager txm) {
        this.channels = channels;
        this.deliveries = deliveries;
        this.jobs = jobs;
        this.savepoint = new TransactionTemplate(txm);
        savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Writes the event's deliveries under a savepoint of the event's transaction: should that fail (a database
     * error, a list the key cannot decrypt), only the notifications are lost and logged, never the state change
     * (on PostgreSQL a failed statement would otherwise abort the whole transaction).
     */
    @Override
    public void recorded(Event event) {
        NotifyKind kind = NotifyKind.of(event);
        if (kind == null) return;
        try {
            savepoint.executeWithoutResult(s -> write(event, kind));
        } catch (RuntimeException e) {
            log.warn("notifications of event {} ({}) not written: {}", event.id(), kind.api(), e.toString());
        }
    }

    private void write(Event event, NotifyKind kind) {
        Set<String> sent = new HashSet<>(); // one delivery per destination, whatever the list says (the unique index)
        for (Channel channel : channels.inForce(event.projectId())) {
            if (!channel.wants(kind) || !sent.add(channel.key())) continue;
            Job job = jobs.enqueue(JobType.NOTIFY_JOB, event.projectId(), event.protocolRunId(), event.stepRunId());
            deliveries.insert(event.projectId(), event.protocolRunId(), event.stepRunId(), event.id(), kind, channel,
                    messageId(event.id(), channel), job.jobId());
        }
    }

    /** The {@code webhook-id}: derived from the event and the channel, so every attempt (and any re-send) carries the same. */
    static String messageId(long eventId, Channel channel) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest((eventId + ":" + channel.key()).getBytes(StandardCharsets.UTF_8));
            return "msg_" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
