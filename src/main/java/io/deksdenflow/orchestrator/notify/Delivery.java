package io.deksdenflow.orchestrator.notify;

import java.util.Locale;

/**
 * One notification of one event to one channel (a row of {@code notify_deliveries}): {@code messageId} is the
 * {@code webhook-id}, the same on every attempt; {@code channel} the channel as it was at the event.
 */
public record Delivery(long id, long projectId, Long protocolRunId, Long stepRunId, long eventId, NotifyKind kind,
                String channelType, String channelLabel, Channel channel, String messageId, String jobId,
                Status status, int attempts, String lastError, Integer lastStatusCode, long createdAt,
                long updatedAt, Long deliveredAt) {

    /** pending (not tried yet, or to be retried), delivered, failed (dead-lettered: attempts used up or refused). */
    public enum Status {
        PENDING, DELIVERED, FAILED;

        public String api() { return name().toLowerCase(Locale.ROOT); }

        static Status parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
    }
}
