package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.store.Rows;
import io.deksdenflow.orchestrator.store.JsonColumns;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.Clock;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The CI loop's rows (V13): each protocol branch's known head and PR/MR number, each step's start
 * commit, and the triage / re-run / fix attempts that followed CI failures.
 */
@Repository
public class CiLoopStore {
    public static final String KIND_FIX = "fix";
    public static final String KIND_RERUN = "rerun";

    /** Waiting for its ci_triage_job. */
    public static final String QUEUED = "queued";
    /** A ci_triage_job took it and fetches the failure. */
    public static final String TRIAGING = "triaging";
    /** Triage done, a ci_fix_job runs the agent. */
    public static final String FIXING = "fixing";
    /** The fix was committed and pushed ({@code fix_sha}). */
    public static final String PUSHED = "pushed";
    /** The fix run ended without a change or failed. */
    public static final String FIX_FAILED = "fix_failed";
    /** The forge was asked to re-run the failed jobs. */
    public static final String RERUN_REQUESTED = "rerun_requested";
    /** No attempt left (or auto-fix off, or no step to fix): the protocol was blocked. */
    public static final String BLOCKED = "blocked";
    /** The protocol or step moved on before the job ran: nothing done. */
    public static final String SKIPPED = "skipped";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {};

    private final NamedParameterJdbcTemplate jdbc;

    public CiLoopStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One attempt row. {@code ciRef} is what the failing delivery named (provider, event_kind, run_id,
     * check_name, url, ...); {@code failures} what triage fetched: {@code [{job, step, url, excerpt}]}.
     */
    public record Fix(long id, long protocolRunId, Long stepRunId, String headSha, String kind, int attempt,
                      String status, Map<String, Object> ciRef, List<Map<String, Object>> failures, String fixSha,
                      long createdAt) {}

    // ---------------------------------------------------------------- branch head and PR/MR number

    /** The protocol branch's head as last pushed by the service (or reported by a PR/MR update); empty when unknown. */
    public Optional<String> head(long protocolRunId) {
        return jdbc.query("SELECT head_sha FROM ci_branches WHERE protocol_run_id = :id",
                Map.of("id", protocolRunId), (rs, i) -> rs.getString("head_sha")).stream()
                .filter(s -> s != null && !s.isBlank()).findFirst();
    }

    public void setHead(long protocolRunId, String sha) {
        upsertBranch(protocolRunId, "head_sha", sha);
    }

    public void setPrNumber(long protocolRunId, long number) {
        upsertBranch(protocolRunId, "pr_number", number);
    }

    public Optional<Long> prNumber(long protocolRunId) {
        return jdbc.query("SELECT pr_number FROM ci_branches WHERE protocol_run_id = :id AND pr_number IS NOT NULL",
                Map.of("id", protocolRunId), (rs, i) -> rs.getLong("pr_number")).stream().findFirst();
    }

    /** Protocol runs of the given projects whose change request has this number (on the forge). */
    public List<Long> runsByPrNumber(Collection<Long> projectIds, long number) {
        if (projectIds.isEmpty()) return List.of();
        return jdbc.queryForList("""
                SELECT b.protocol_run_id FROM ci_branches b JOIN protocol_runs r ON r.id = b.protocol_run_id
                WHERE b.pr_number = :number AND r.project_id IN (:projects) ORDER BY b.protocol_run_id""",
                Map.of("number", number, "projects", projectIds), Long.class);
    }

    private void upsertBranch(long protocolRunId, String column, Object value) {
        // column is one of two constants above, never input
        String sql = "INSERT INTO ci_branches (protocol_run_id, " + column + ", updated_at) VALUES (:id, :value, :now) "
                + "ON CONFLICT (protocol_run_id) DO UPDATE SET " + column + " = :value, updated_at = :now";
        jdbc.update(sql, new MapSqlParameterSource().addValue("id", protocolRunId).addValue("value", value)
                .addValue("now", Clock.now()));
    }

    // ---------------------------------------------------------------- step start commits

    public void setStepStart(long stepRunId, String sha) {
        jdbc.update("""
                INSERT INTO ci_step_starts (step_run_id, start_sha, updated_at) VALUES (:id, :sha, :now)
                ON CONFLICT (step_run_id) DO UPDATE SET start_sha = :sha, updated_at = :now""",
                Map.of("id", stepRunId, "sha", sha, "now", Clock.now()));
    }

    public Optional<String> stepStart(long stepRunId) {
        return jdbc.query("SELECT start_sha FROM ci_step_starts WHERE step_run_id = :id", Map.of("id", stepRunId),
                (rs, i) -> rs.getString("start_sha")).stream().findFirst();
    }

    // ---------------------------------------------------------------- attempts

    /**
     * Claims the failure of {@code headSha} for {@code kind}: inserts a {@link #QUEUED} row unless one of
     * this kind exists for the sha (compare-and-set through the unique key; never throws on a duplicate).
     *
     * @return the new row, or empty when the sha was already claimed
     */
    public Optional<Fix> claim(long protocolRunId, Long stepRunId, String headSha, String kind, int attempt,
                               Map<String, Object> ciRef) {
        long now = Clock.now();
        int n = jdbc.update("""
                INSERT INTO ci_fixes (protocol_run_id, step_run_id, head_sha, kind, attempt, status, ci_ref,
                                      failures, created_at, updated_at)
                VALUES (:p, :s, :sha, :kind, :attempt, :status, :ref, '[]', :now, :now)
                ON CONFLICT (protocol_run_id, head_sha, kind) DO NOTHING""",
                new MapSqlParameterSource().addValue("p", protocolRunId).addValue("s", stepRunId)
                        .addValue("sha", headSha).addValue("kind", kind).addValue("attempt", attempt)
                        .addValue("status", QUEUED).addValue("ref", JsonColumns.write(ciRef)).addValue("now", now));
        if (n == 0) return Optional.empty();
        return find(protocolRunId, headSha, kind);
    }

    public Optional<Fix> find(long protocolRunId, String headSha, String kind) {
        return jdbc.query("SELECT * FROM ci_fixes WHERE protocol_run_id = :p AND head_sha = :sha AND kind = :kind",
                Map.of("p", protocolRunId, "sha", headSha, "kind", kind), CiLoopStore::map).stream().findFirst();
    }

    public Fix get(long id) {
        return jdbc.query("SELECT * FROM ci_fixes WHERE id = :id", Map.of("id", id), CiLoopStore::map).stream()
                .findFirst().orElseThrow(() -> new IllegalStateException("no ci_fixes row " + id));
    }

    /** The oldest row of the protocol in {@code status} (a job's work item: jobs carry only ids). */
    public Optional<Fix> oldest(long protocolRunId, String status) {
        return jdbc.query("""
                SELECT * FROM ci_fixes WHERE protocol_run_id = :p AND status = :status ORDER BY id LIMIT 1""",
                Map.of("p", protocolRunId, "status", status), CiLoopStore::map).stream().findFirst();
    }

    /** Rows of the step, oldest first. */
    public List<Fix> ofStep(long stepRunId) {
        return jdbc.query("SELECT * FROM ci_fixes WHERE step_run_id = :s ORDER BY id", Map.of("s", stepRunId),
                CiLoopStore::map);
    }

    /**
     * Fix runs started for the step (what DEKSDENFLOW_CI_AUTOFIX_ATTEMPTS bounds), whatever the row's kind
     * (a re-run the forge refused goes on to a fix).
     */
    public int fixesStarted(long stepRunId) {
        Integer n = jdbc.queryForObject("""
                SELECT COUNT(*) FROM ci_fixes WHERE step_run_id = :s
                AND status IN ('fixing', 'pushed', 'fix_failed')""", Map.of("s", stepRunId), Integer.class);
        return n == null ? 0 : n;
    }

    /** Compare-and-set {@code from} → {@link #FIXING}, numbering the attempt; false when it was no longer {@code from}. */
    public boolean startFix(long id, String from, int attempt) {
        return jdbc.update("""
                UPDATE ci_fixes SET status = :to, attempt = :attempt, updated_at = :now WHERE id = :id AND status = :from""",
                Map.of("id", id, "from", from, "to", FIXING, "attempt", attempt, "now", Clock.now())) == 1;
    }

    public boolean hasKind(long stepRunId, String kind) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM ci_fixes WHERE step_run_id = :s AND kind = :kind",
                Map.of("s", stepRunId, "kind", kind), Integer.class);
        return n != null && n > 0;
    }

    /** Compare-and-set of a row's status; false when it was no longer {@code from}. */
    public boolean transition(long id, String from, String to) {
        return jdbc.update("UPDATE ci_fixes SET status = :to, updated_at = :now WHERE id = :id AND status = :from",
                Map.of("id", id, "from", from, "to", to, "now", Clock.now())) == 1;
    }

    public void setFailures(long id, List<Map<String, Object>> failures) {
        jdbc.update("UPDATE ci_fixes SET failures = :f, updated_at = :now WHERE id = :id",
                Map.of("id", id, "f", writeList(failures), "now", Clock.now()));
    }

    public void setFixSha(long id, String sha) {
        jdbc.update("UPDATE ci_fixes SET fix_sha = :sha, updated_at = :now WHERE id = :id",
                Map.of("id", id, "sha", sha, "now", Clock.now()));
    }

    private static String writeList(List<Map<String, Object>> value) {
        try {
            return MAPPER.writeValueAsString(value == null ? List.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON", e);
        }
    }

    private static Fix map(ResultSet rs, int i) throws SQLException {
        List<Map<String, Object>> failures;
        try {
            String f = rs.getString("failures");
            failures = MAPPER.readValue(f == null || f.isBlank() ? "[]" : f, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
        long step = rs.getLong("step_run_id");
        return new Fix(rs.getLong("id"), rs.getLong("protocol_run_id"), rs.wasNull() ? null : step,
                rs.getString("head_sha"), rs.getString("kind"), rs.getInt("attempt"), rs.getString("status"),
                JsonColumns.objects(rs.getString("ci_ref")), failures, rs.getString("fix_sha"),
                rs.getLong("created_at"));
    }
}
