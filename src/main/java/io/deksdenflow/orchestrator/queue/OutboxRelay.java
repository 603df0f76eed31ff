package io.deksdenflow.orchestrator.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push step of route {@code queue-outbox-relay} (see {@link OutboxRoutes}): the jobs of a batch
 * of pending outbox rows go to Redis in one idempotent {@link RedisJobQueue#pushAll} (by job id, so a
 * crash between push and mark re-pushes a row without enqueueing its job twice). While Redis is down
 * the push fails, the rows stay pending, and the failure is logged once until a relay succeeds again.
 */
public class OutboxRelay {
    /** Exchange property: false once a batch came back short (nothing more pending). */
    static final String MORE = "deksdenflowOutboxMore";
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

    /** Pushes the rows' jobs to Redis; returns the ids of the rows to mark sent (unreadable rows are marked invalid). */
    public List<Long> push(List<OutboxStore.Row> rows, Exchange exchange) {
        exchange.setProperty(MORE, rows.size() == OutboxStore.BATCH);
        List<Job> jobs = new ArrayList<>(rows.size());
        List<Long> sent = new ArrayList<>(rows.size());
        for (OutboxStore.Row row : rows) {
            try {
                jobs.add(json.readValue(row.payload(), Job.class));
                sent.add(row.id());
            } catch (Exception e) {
                log.error("outbox row {} (job {}) has an unreadable payload; marked invalid: {}", row.id(), row.jobId(), e.toString());
                outbox.markInvalid(row.id());
            }
        }
        if (!jobs.isEmpty()) queue.pushAll(jobs);
        return sent;
    }

    /** After a relay pass that went through. */
    public void delivered() {
        if (failing) {
            log.info("outbox relay: delivering again");
            failing = false;
        }
    }

    /** A relay pass failed (Redis or the database unreachable): the rows stay pending for the next pass. */
    public void failed(Exception e) {
        if (!failing) log.warn("outbox relay: rows stay pending until this clears: {}", e.toString());
        failing = true;
    }
}
