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
import org.springframework.stereotype.Component;

/**
 * Turns a recorded event that is a {@link NotifyKind} into one delivery per channel that wants the kind: a
 * {@code notify_deliveries} row and its {@code notify_job}, in the event's own transaction (so a notification is
 * never lost after its event committed, and never sent for an event that rolled back). The sending is the job's
 * ({@link NotifyJobHandler}), on a worker: a slow or failing channel never delays or fails the protocol.
 */
@Component
class Notifier implements EventTrigger {
    private final NotifyChannels channels;
    private final DeliveryStore deliveries;
    private final JobEnqueuer jobs;

    Notifier(NotifyChannels channels, DeliveryStore deliveries, JobEnqueuer jobs) {
        this.channels = channels;
        this.deliveries = deliveries;
        this.jobs = jobs;
    }

    @Override
    public void recorded(Event event) {
        NotifyKind kind = NotifyKind.of(event);
        if (kind == null) return;
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
