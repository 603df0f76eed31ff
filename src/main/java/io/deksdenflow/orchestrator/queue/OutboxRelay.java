package io.deksdenflow.orchestrator.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Java steps of route {@code queue-outbox-relay} (see {@link OutboxRoutes}) between its two
 * {@code sql:} steps: the jobs of a batch of pending outbox rows go to Redis in one idempotent
 * {@link RedisJobQueue#pushAll} (by job id, so a crash between push and mark re-pushes a row without
 * enqueueing its job twice). While Redis is down
 * the push fails, the rows stay pending, and the failure is logged once until a relay succeeds again.
 */
public class OutboxRelay {
    /** Exchange property: false once a batch came back short (nothing more pending). */
    static final String MORE = "deksdenflowOutboxMore";
    private static final String SENT_IDS = "ids";
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final OutboxStore outbox;
    private final RedisJobQueue queue;
    private final ObjectMapper json;
    private volatile boolean failing;

    public OutboxRelay(OutboxStore outbox, RedisJobQueue queue, ObjectMapper json) {
        this.outbox = outbox;
        this.queue = queue;
        this.json = json;
    }

    /** The parameters of {@link OutboxStore#READ_PENDING}: one batch. */
    public Map<String, Object> batch() {
        return Map.of("limit", OutboxStore.BATCH);
    }

    /**
     * Pushes the jobs of the rows {@link OutboxStore#READ_PENDING} answered to Redis; returns the
     * parameters of {@link OutboxStore#MARK_SENT} (unreadable rows are marked invalid, not sent).
     */
    public Map<String, Object> push(List<Map<String, Object>> columns, Exchange exchange) {
        exchange.setProperty(MORE, columns.size() == OutboxStore.BATCH);
        List<Job> jobs = new ArrayList<>(columns.size());
        List<Long> sent = new ArrayList<>(columns.size());
        for (Map<String, Object> c : columns) {
            OutboxStore.Row row = OutboxStore.Row.of(c);
            try {
                jobs.add(json.readValue(row.payload(), Job.class));
                sent.add(row.id());
            } catch (Exception e) {
                log.error("outbox row {} (job {}) has an unreadable payload; marked invalid: {}", row.id(), row.jobId(), e.toString());
                outbox.markInvalid(row.id());
            }
        }
        if (!jobs.isEmpty()) queue.pushAll(jobs);
        return Map.of(SENT_IDS, sent, "sent_at", Clock.now());
    }

    /** Whether {@link #push}'s answer has rows to mark ({@code IN ()} is no SQL). */
    public boolean anySent(Map<String, Object> marking) {
        return !((List<?>) marking.get(SENT_IDS)).isEmpty();
    }

    /** After a relay pass that went through. */
    public void delivered() {
        if (failing) {
            log.info("outbox relay: delivering again");
            failing = false;
        }
    }

    /** Whether the last relay pass failed (until one goes through again). */
    boolean failing() {
        return failing;
    }

    /** A relay pass failed (Redis or the database unreachable): the rows stay pending for the next pass. */
    public void failed(Exception e) {
        if (!failing) log.warn("outbox relay: rows stay pending until this clears: {}", e.toString());
        failing = true;
    }
}
