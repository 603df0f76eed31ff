package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.store.JsonColumns;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The base syncs' rows (V24): each protocol's pending update from its base branch ({@code base_syncs}) and each
 * project's one turn ({@code base_sync_slots}, claimed by an insert that does nothing when the project's turn is
 * taken: two transactions never both hold it).
 */
@Repository
public class BaseSyncStore {
    public static final String WAITING = "waiting";
    public static final String SYNCING = "syncing";
    public static final String FIXING = "fixing";

    /** A protocol's pending sync. */
    public record Sync(long protocolRunId, long projectId, String state, String reason, boolean openPr, boolean again,
                       int attempts, List<String> files, long requestedAt) {}

    /** Whose turn it is in a project, since when. */
    record Slot(long projectId, long protocolRunId, long claimedAt) {}

    private final NamedParameterJdbcTemplate jdbc;

    BaseSyncStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Asks for a sync: a new row waits; one already waiting stays as it is; one running is marked {@code again}
     * (the base moved once more). {@code openPr} is kept once set.
     */
    void request(long projectId, long protocolRunId, String reason, boolean openPr, long now) {
        jdbc.update("""
                INSERT INTO base_syncs (protocol_run_id, project_id, state, reason, open_pr, requested_at)
                VALUES (:id, :p, :s, :reason, :open_pr, :now)
                ON CONFLICT (protocol_run_id) DO UPDATE SET
                    again = CASE WHEN base_syncs.state = :s THEN base_syncs.again ELSE 1 END,
                    open_pr = CASE WHEN :open_pr = 1 THEN 1 ELSE base_syncs.open_pr END""",
                new MapSqlParameterSource("id", protocolRunId).addValue("p", projectId).addValue("s", WAITING)
                        .addValue("reason", reason).addValue("open_pr", openPr ? 1 : 0).addValue("now", now));
    }

    public Optional<Sync> find(long protocolRunId) {
        return jdbc.query("SELECT * FROM base_syncs WHERE protocol_run_id = :id", Map.of("id", protocolRunId),
                BaseSyncStore::map).stream().findFirst();
    }

    /** The project's waiting syncs, oldest protocol first. */
    public List<Sync> waiting(long projectId) {
        return jdbc.query("SELECT * FROM base_syncs WHERE project_id = :p AND state = :s ORDER BY protocol_run_id",
                Map.of("p", projectId, "s", WAITING), BaseSyncStore::map);
    }

    Optional<Slot> slot(long projectId) {
        return jdbc.query("SELECT * FROM base_sync_slots WHERE project_id = :p", Map.of("p", projectId),
                (rs, i) -> new Slot(rs.getLong("project_id"), rs.getLong("protocol_run_id"), rs.getLong("claimed_at")))
                .stream().findFirst();
    }

    /** Takes the project's turn for the protocol; false when another protocol has it. */
    boolean claim(long projectId, long protocolRunId, long now) {
        return jdbc.update("""
                INSERT INTO base_sync_slots (project_id, protocol_run_id, claimed_at) VALUES (:p, :id, :now)
                ON CONFLICT (project_id) DO NOTHING""",
                new MapSqlParameterSource("p", projectId).addValue("id", protocolRunId).addValue("now", now)) == 1;
    }

    /** Gives the project's turn back, when the protocol holds it. */
    void release(long projectId, long protocolRunId) {
        jdbc.update("DELETE FROM base_sync_slots WHERE project_id = :p AND protocol_run_id = :id",
                Map.of("p", projectId, "id", protocolRunId));
    }

    void state(long protocolRunId, String state, int attempts, List<String> files) {
        jdbc.update("UPDATE base_syncs SET state = :s, attempts = :a, files = :f WHERE protocol_run_id = :id",
                new MapSqlParameterSource("id", protocolRunId).addValue("s", state).addValue("a", attempts)
                        .addValue("f", JsonColumns.write(files)));
    }

    /**
     * The sync is over; when the base moved meanwhile it waits again, from scratch ({@code openPr}: an open_pr_job
     * still waits for it).
     */
    void done(long protocolRunId, boolean again, boolean openPr) {
        if (again) {
            jdbc.update("UPDATE base_syncs SET state = :s, again = 0, attempts = 0, files = '[]', open_pr = :o"
                    + " WHERE protocol_run_id = :id", Map.of("id", protocolRunId, "s", WAITING, "o", openPr ? 1 : 0));
        } else {
            jdbc.update("DELETE FROM base_syncs WHERE protocol_run_id = :id", Map.of("id", protocolRunId));
        }
    }

    private static Sync map(ResultSet rs, int i) throws SQLException {
        return new Sync(rs.getLong("protocol_run_id"), rs.getLong("project_id"), rs.getString("state"),
                rs.getString("reason"), rs.getInt("open_pr") == 1, rs.getInt("again") == 1, rs.getInt("attempts"),
                JsonColumns.stringList(rs.getString("files")), rs.getLong("requested_at"));
    }
}
