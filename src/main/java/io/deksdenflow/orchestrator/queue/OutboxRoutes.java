package io.deksdenflow.orchestrator.queue;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code queue-outbox-relay} moves pending outbox rows to Redis: read a batch (camel-sql producer
 * {@link OutboxStore#READ_PENDING}), push its jobs in one pipelined call, mark the rows sent in one
 * {@code UPDATE … WHERE id IN (…)} (camel-sql producer {@link OutboxStore#MARK_SENT}), again while
 * batches come back full. It consumes {@link #NUDGE}, a one-slot {@code seda:}
 * queue: {@code JobEnqueuer} sends a nudge right after a transaction that wrote an outbox row has
 * committed (no poll delay on a job's path), and {@code queue-outbox-poll} sends one every 200 ms (rows
 * committed by another process, retries after a Redis outage). A nudge that finds the slot taken is
 * dropped: the pending one reads every row committed before the relay starts; one consumer, so relay
 * passes never overlap.
 */
@Component
public class OutboxRoutes extends RouteBuilder {
    /** Wakes the relay; a nudge finding one already waiting is dropped. */
    /** pollTimeout: Camel's graceful stop waits for a seda consumer's current poll (default 1 s), one route after another. */
    public static final String NUDGE = "seda:queue-outbox-relay?size=1&discardWhenFull=true&pollTimeout=100";
    public static final String RELAY_ROUTE_ID = "queue-outbox-relay";
    public static final String POLL_ROUTE_ID = "queue-outbox-poll";
    static final String POLL = "timer:queue-outbox-poll?period=200&delay=200";

    private final OutboxStore outbox;
    private final OutboxRelay relay;

    public OutboxRoutes(OutboxStore outbox, OutboxRelay relay) {
        this.outbox = outbox;
        this.relay = relay;
    }

    @Override
    public void configure() {
        if (!outbox.enabled()) return;
        from(NUDGE).routeId(RELAY_ROUTE_ID)
                .description("Outbox → Redis: pending rows' jobs pushed (idempotent by job id), then marked sent")
                .onException(Exception.class).handled(true).bean(relay, "failed").end()
                .loopDoWhile(exchangeProperty(OutboxRelay.MORE).isNotEqualTo(false)).id("outbox-batches")
                    .bean(relay, "batch").id("outbox-batch-size")
                    .to(OutboxStore.READ_PENDING).id("outbox-read-pending")
                    .bean(relay, "push").id("outbox-push-redis")
                    .filter(method(relay, "anySent")).id("outbox-any-sent")
                        .to(OutboxStore.MARK_SENT).id("outbox-mark-sent")
                    .end()
                .end()
                .bean(relay, "delivered");
        from(POLL).routeId(POLL_ROUTE_ID)
                .description("Nudges queue-outbox-relay every 200 ms (other processes' rows, retries)")
                .to(NUDGE);
    }
}
