package io.deksdenflow.orchestrator.events;

import io.deksdenflow.orchestrator.store.Rows;
import io.deksdenflow.orchestrator.store.Page;
import io.deksdenflow.orchestrator.store.JsonColumns;
import io.deksdenflow.orchestrator.common.Clock;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The append-only event log; every list query is keyset-paginated on an (owner, id) index. */
@Repository
public class EventStore {
    private final NamedParameterJdbcTemplate jdbc;

    public EventStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Event insert(long projectId, Long protocolRunId, Long stepRunId, String type, String message,
                        Map<String, Object> metadata, String requestId) {
        long now = Clock.now();
        Long id = jdbc.queryForObject("""
                INSERT INTO events (project_id, protocol_run_id, step_run_id, event_type, message, metadata, request_id, created_at)
                VALUES (:project_id, :protocol_run_id, :step_run_id, :event_type, :message, :metadata, :request_id, :now)
                RETURNING id""",
                new MapSqlParameterSource().addValue("project_id", projectId).addValue("protocol_run_id", protocolRunId)
                        .addValue("step_run_id", stepRunId).addValue("event_type", type).addValue("message", message)
                        .addValue("metadata", JsonColumns.write(metadata)).addValue("request_id", requestId)
                        .addValue("now", now), Long.class);
        return new Event(id, projectId, protocolRunId, stepRunId, type, message, metadata, now);
    }

    public Optional<Event> find(long id) {
        return jdbc.query("SELECT * FROM events WHERE id = :id", Map.of("id", id), EventStore::map).stream().findFirst();
    }

    public Page<Event> byProject(long projectId, Long before, int limit) {
        return Page.of(jdbc.query("""
                SELECT * FROM events WHERE project_id = :project_id AND id < :before ORDER BY id DESC LIMIT :limit""",
                Map.of("project_id", projectId, "before", before(before), "limit", limit + 1), EventStore::map), limit, Event::id);
    }

    public Page<Event> byProtocol(long protocolRunId, Long before, int limit) {
        return Page.of(jdbc.query("""
                SELECT * FROM events WHERE protocol_run_id = :protocol_run_id AND id < :before ORDER BY id DESC LIMIT :limit""",
                Map.of("protocol_run_id", protocolRunId, "before", before(before), "limit", limit + 1), EventStore::map), limit, Event::id);
    }

    /**
     * Events of projects that have no project token (what an API-token holder may list unscoped).
     * The few token-guarded project ids are excluded by value, so the query stays a backward scan
     * of the primary key that stops after {@code limit} rows (a sub-select here made PostgreSQL
     * read and sort every event).
     */
    public Page<Event> ofOpenProjects(Long before, int limit) {
        return excluding(jdbc.queryForList("SELECT id FROM projects WHERE project_token_hash IS NOT NULL",
                Map.of(), Long.class), before, limit);
    }

    /** Events of every project but the {@code hidden} ones (the token-guarded projects a request may not see). */
    public Page<Event> excluding(java.util.Collection<Long> hidden, Long before, int limit) {
        List<Long> guarded = List.copyOf(hidden);
        String filter = guarded.isEmpty() ? "" : " AND project_id NOT IN (:guarded)";
        Map<String, Object> params = new java.util.HashMap<>(Map.of("before", before(before), "limit", limit + 1));
        if (!guarded.isEmpty()) params.put("guarded", guarded);
        return Page.of(jdbc.query("SELECT * FROM events WHERE id < :before" + filter + " ORDER BY id DESC LIMIT :limit",
                params, EventStore::map), limit, Event::id);
    }

    /** Events after {@code afterId}, oldest first: the live stream's feed. */
    public List<Event> since(long afterId, int limit) {
        return jdbc.query("SELECT * FROM events WHERE id > :after ORDER BY id LIMIT :limit",
                Map.of("after", afterId, "limit", limit), EventStore::map);
    }

    public long maxId() {
        Long id = jdbc.queryForObject("SELECT MAX(id) FROM events", Map.of(), Long.class);
        return id == null ? 0 : id;
    }

    private static long before(Long before) {
        return before == null ? Long.MAX_VALUE : before;
    }

    static Event map(ResultSet rs, int i) throws SQLException {
        return new Event(rs.getLong("id"), rs.getLong("project_id"), Rows.nullableLong(rs, "protocol_run_id"),
                Rows.nullableLong(rs, "step_run_id"), rs.getString("event_type"), rs.getString("message"),
                JsonColumns.objects(rs.getString("metadata")), rs.getLong("created_at"));
    }
}
