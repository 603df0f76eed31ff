package io.deksdenflow.orchestrator.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Moves pending {@code outbox} rows to Redis, then marks them sent. The push is idempotent by job id,
 * so a crash between the two steps re-pushes a row without enqueueing it twice. While Redis is down the
 * rows stay pending. Runs every 200 ms (route {@code queue-outbox-relay}) and on {@link #poke()}.
 */
public class OutboxRelay {
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    static final int BATCH = 500;
    static final String POKE = "direct:queue-outbox-poke";

    private final NamedParameterJdbcTemplate jdbc;
    private final RedisJobQueue queue;
    private final ObjectMapper json;
    private final ObjectProvider<ProducerTemplate> producer;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean failing;

    public OutboxRelay(ObjectProvider<DataSource> dataSource, RedisJobQueue queue, ObjectMapper json,
                       ObjectProvider<ProducerTemplate> producer) {
        DataSource ds = dataSource.getIfAvailable();
        this.jdbc = ds == null ? null : new NamedParameterJdbcTemplate(ds);
        this.queue = queue;
        this.json = json;
        this.producer = producer;
    }

    /** False when the process has no DataSource (then there is no outbox to relay). */
    public boolean enabled() { return jdbc != null; }

    /** Relay soon, without waiting for the next poll: call after committing an outbox row. */
    public void poke() {
        ProducerTemplate template = producer.getIfAvailable();
        if (enabled() && template != null) template.asyncSendBody(POKE, null);
    }

    /** Relays every pending row; returns how many rows were marked sent. Concurrent calls coalesce. */
    public int relayPending() {
        if (!enabled()) return 0;
        if (!running.tryLock()) {
            again.set(true);
            return 0;
        }
        try {
            int total = 0;
            do {
                again.set(false);
                int n;
                do {
                    n = relayBatch();
                    total += n;
                } while (n == BATCH);
            } while (again.get());
            if (failing) {
                log.info("outbox relay: delivering again");
                failing = false;
            }
            return total;
        } catch (RuntimeException e) {
            if (!failing) log.warn("outbox relay: rows stay pending until this clears: {}", e.toString());
            failing = true;
            return 0;
        } finally {
            running.unlock();
        }
    }

    private int relayBatch() {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT id, job_id, payload FROM outbox WHERE status = 'pending' ORDER BY id LIMIT :limit",
                Map.of("limit", BATCH));
        if (rows.isEmpty()) return 0;
        List<Job> jobs = new ArrayList<>(rows.size());
        List<Long> sent = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            long id = ((Number) row.get("id")).longValue();
            try {
                jobs.add(json.readValue((String) row.get("payload"), Job.class));
                sent.add(id);
            } catch (Exception e) {
                log.error("outbox row {} (job {}) has an unreadable payload; marked invalid: {}", id, row.get("job_id"), e.toString());
                jdbc.update("UPDATE outbox SET status = 'invalid' WHERE id = :id", Map.of("id", id));
            }
        }
        queue.pushAll(jobs);
        if (!sent.isEmpty()) {
            jdbc.update("UPDATE outbox SET status = 'sent', sent_at = :now WHERE id IN (:ids)",
                    Map.of("now", Clock.now(), "ids", sent));
        }
        return rows.size();
    }
}
