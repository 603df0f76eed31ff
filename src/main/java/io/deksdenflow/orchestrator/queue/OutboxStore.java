package io.deksdenflow.orchestrator.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.queue.Job;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Jobs written in the same transaction as the state change that asked for them. */
@Repository
public class OutboxStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public OutboxStore(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
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
}
