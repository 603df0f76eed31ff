package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.store.JsonColumns;
import io.deksdenflow.orchestrator.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The review answers' rows (V22): each protocol's debounce window and its fix turns. */
@Repository
public class ReviewStore {
    public static final String RUNNING = "running";
    public static final String PUSHED = "pushed";
    public static final String FAILED = "failed";
    /** Not a turn: the marker that the attempts ran out (its fingerprint is {@code exhausted}). */
    public static final String EXHAUSTED = "exhausted";

    /** A protocol's review comments waiting for their turn. */
    public record Wait(long protocolRunId, long prNumber, long dueAt, Long queuedAt) {}

    /** One fix turn. */
    public record Fix(long id, long protocolRunId, long prNumber, String fingerprint, int attempt, String status,
                      List<String> comments, String sha, String summary, long createdAt) {}

    private final NamedParameterJdbcTemplate jdbc;

    ReviewStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Moves the window's end to {@code dueAt}; claims the job when none is on its way (or it is lost). */
    boolean wait(long protocolRunId, long prNumber, long dueAt, long now, long staleBefore) {
        jdbc.update("""
                INSERT INTO review_waits (protocol_run_id, pr_number, due_at) VALUES (:id, :pr, :due)
                ON CONFLICT (protocol_run_id) DO UPDATE SET pr_number = :pr, due_at = :due""",
                new MapSqlParameterSource("id", protocolRunId).addValue("pr", prNumber).addValue("due", dueAt));
        return jdbc.update("UPDATE review_waits SET queued_at = :now WHERE protocol_run_id = :id"
                        + " AND (queued_at IS NULL OR queued_at < :stale)",
                new MapSqlParameterSource("id", protocolRunId).addValue("now", now).addValue("stale", staleBefore)) == 1;
    }

    public Optional<Wait> findWait(long protocolRunId) {
        return jdbc.query("SELECT * FROM review_waits WHERE protocol_run_id = :id", Map.of("id", protocolRunId),
                (rs, i) -> new Wait(rs.getLong("protocol_run_id"), rs.getLong("pr_number"), rs.getLong("due_at"),
                        Rows.nullableLong(rs, "queued_at"))).stream().findFirst();
    }

    /** The window is over and its job takes it: gone, so the next comment opens a new one. */
    boolean takeWait(long protocolRunId, long dueAt) {
        return jdbc.update("DELETE FROM review_waits WHERE protocol_run_id = :id AND due_at = :due",
                Map.of("id", protocolRunId, "due", dueAt)) == 1;
    }

    /** A new turn for this comment set, or empty when one answered the same set already (the unique fingerprint). */
    Optional<Fix> claim(long protocolRunId, long prNumber, String fingerprint, int attempt, List<String> comments) {
        long now = Clock.now();
        int n = jdbc.update("""
                INSERT INTO review_fixes (protocol_run_id, pr_number, fingerprint, attempt, status, comments, created_at, updated_at)
                VALUES (:p, :pr, :f, :a, :s, :c, :now, :now) ON CONFLICT (protocol_run_id, fingerprint) DO NOTHING""",
                new MapSqlParameterSource("p", protocolRunId).addValue("pr", prNumber).addValue("f", fingerprint)
                        .addValue("a", attempt).addValue("s", RUNNING).addValue("c", JsonColumns.write(comments))
                        .addValue("now", now));
        if (n == 0) return Optional.empty();
        return jdbc.query("SELECT * FROM review_fixes WHERE protocol_run_id = :p AND fingerprint = :f",
                Map.of("p", protocolRunId, "f", fingerprint), ReviewStore::map).stream().findFirst();
    }

    void finish(long id, String status, String sha, String summary) {
        jdbc.update("UPDATE review_fixes SET status = :s, sha = :sha, summary = :sum, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource("id", id).addValue("s", status).addValue("sha", sha).addValue("sum", summary)
                        .addValue("now", Clock.now()));
    }

    void markExhausted(long protocolRunId) {
        long now = Clock.now();
        jdbc.update("""
                INSERT INTO review_fixes (protocol_run_id, pr_number, fingerprint, attempt, status, comments, created_at, updated_at)
                VALUES (:p, 0, 'exhausted', 0, :s, '[]', :now, :now) ON CONFLICT (protocol_run_id, fingerprint) DO NOTHING""",
                new MapSqlParameterSource("p", protocolRunId).addValue("s", EXHAUSTED).addValue("now", now));
    }

    /** The protocol's fix turns, oldest first. */
    public List<Fix> fixes(long protocolRunId) {
        return jdbc.query("SELECT * FROM review_fixes WHERE protocol_run_id = :p ORDER BY id", Map.of("p", protocolRunId),
                ReviewStore::map);
    }

    private static Fix map(ResultSet rs, int i) throws SQLException {
        return new Fix(rs.getLong("id"), rs.getLong("protocol_run_id"), rs.getLong("pr_number"), rs.getString("fingerprint"),
                rs.getInt("attempt"), rs.getString("status"), JsonColumns.stringList(rs.getString("comments")),
                rs.getString("sha"), rs.getString("summary"), rs.getLong("created_at"));
    }
}
