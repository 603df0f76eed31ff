package io.deksdenflow.orchestrator.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.Clock;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The {@code outbox} table, all of its SQL: jobs are written in the same transaction as the state
 * change that asked for them ({@link #add}); route {@code queue-outbox-relay} reads the pending rows
 * in id order through the camel-sql producer {@link #READ_PENDING}, pushes their jobs to Redis and
 * marks them sent through {@link #MARK_SENT}, or marks a row whose payload cannot be read
 * {@code invalid}. The relay's statements are the same text on SQLite and PostgreSQL, with named
 * parameters only. A process without a DataSource (a queue-only worker) has a disabled outbox
 * ({@link #enabled()} false) and no relay.
 *
 * <p>Rows are not claimed: two relays (the API and a worker process on one database) may read the
 * same pending row, and both push it; that is safe because the push is idempotent by job id
 * ({@link RedisJobQueue#pushAll}), so each job is enqueued once.
 */
public class OutboxStore {
    /** Rows per relay batch: one pipelined Redis push and one UPDATE per batch. */
    public static final int BATCH = 500;

    /** The oldest pending rows, in id order; named parameter {@code limit} (the message body is a map). */
    public static final String SELECT_PENDING =
            "SELECT id, job_id, payload FROM outbox WHERE status = 'pending' ORDER BY id LIMIT :#limit";
    /** Marks rows whose jobs are in Redis; named parameters {@code sent_at} and the non-empty list {@code ids}. */
    public static final String UPDATE_SENT =
            "UPDATE outbox SET status = 'sent', sent_at = :#sent_at WHERE id IN (:#in:ids)";
    /** The DataSource bean the relay's {@code sql:} endpoints use. */
    static final String DATA_SOURCE = "dataSource=#dataSource";
    /** Step {@code outbox-read-pending}: body a map with {@code limit}; answers the rows as a list of column maps. */
    public static final String READ_PENDING = "sql:" + SELECT_PENDING + "?" + DATA_SOURCE + "&outputType=SelectList";
    /** Step {@code outbox-mark-sent}: body a map with {@code ids} and {@code sent_at}. */
    public static final String MARK_SENT = "sql:" + UPDATE_SENT + "?" + DATA_SOURCE;

    /** A pending row as the relay reads it. */
    public record Row(long id, String jobId, String payload) {
        /** A row of {@link #READ_PENDING}'s answer (column labels are lower case on both databases). */
        static Row of(Map<String, Object> columns) {
            return new Row(((Number) columns.get("id")).longValue(), (String) columns.get("job_id"),
                    (String) columns.get("payload"));
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public OutboxStore(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** False when the process has no DataSource (then there is no outbox to write or relay). */
    public boolean enabled() {
        return jdbc != null;
    }

    public void add(Job job) {
        try {
            jdbc.update("""
                    INSERT INTO outbox (job_id, job_type, payload, status, created_at)
                    VALUES (:job_id, :job_type, :payload, 'pending', :now)""",
                    new MapSqlParameterSource().addValue("job_id", job.jobId()).addValue("job_type", job.type().api())
                            .addValue("payload", json.writeValueAsString(job)).addValue("now", Clock.now()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public long pendingCount() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM outbox WHERE status = 'pending'", Map.of(), Long.class);
        return n == null ? 0 : n;
    }

    /** Marks a row that can never be relayed (its payload is not a job). */
    public void markInvalid(long id) {
        jdbc.update("UPDATE outbox SET status = 'invalid' WHERE id = :id", Map.of("id", id));
    }
}
