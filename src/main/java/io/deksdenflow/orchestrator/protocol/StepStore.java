package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.store.Rows;
import io.deksdenflow.orchestrator.store.Page;
import io.deksdenflow.orchestrator.store.JsonColumns;
import io.deksdenflow.orchestrator.store.Constraints;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class StepStore {
    private final NamedParameterJdbcTemplate jdbc;

    public StepStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public StepRun insert(long protocolRunId, int index, String name, StepType type, String engine, String model) {
        long now = Clock.now();
        try {
            Long id = jdbc.queryForObject("""
                    INSERT INTO step_runs (protocol_run_id, step_index, step_name, step_type, status, engine, model,
                                           created_at, updated_at)
                    VALUES (:protocol_run_id, :step_index, :step_name, :step_type, :status, :engine, :model, :now, :now)
                    RETURNING id""",
                    new MapSqlParameterSource().addValue("protocol_run_id", protocolRunId).addValue("step_index", index)
                            .addValue("step_name", name).addValue("step_type", type.api())
                            .addValue("status", StepStatus.PENDING.api()).addValue("engine", engine)
                            .addValue("model", model).addValue("now", now), Long.class);
            return get(id);
        } catch (org.springframework.dao.DataAccessException e) {
            if (!Constraints.isUniqueViolation(e)) throw e;
            throw new ConflictException("step index " + index + " or name '" + name + "' already exists in protocol " + protocolRunId);
        }
    }

    public Optional<StepRun> find(long id) {
        return jdbc.query("SELECT * FROM step_runs WHERE id = :id", Map.of("id", id), StepStore::map).stream().findFirst();
    }

    public StepRun get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("step", id));
    }

    public Page<StepRun> listByProtocol(long protocolRunId, Long after, int limit) {
        List<StepRun> rows = jdbc.query("""
                SELECT * FROM step_runs WHERE protocol_run_id = :protocol_run_id AND id > :after ORDER BY id LIMIT :limit""",
                Map.of("protocol_run_id", protocolRunId, "after", after == null ? 0L : after, "limit", limit + 1), StepStore::map);
        return Page.of(rows, limit, StepRun::id);
    }

    /** Every step of a protocol in plan order (a plan has at most 50 steps). */
    public List<StepRun> allOf(long protocolRunId) {
        return jdbc.query("SELECT * FROM step_runs WHERE protocol_run_id = :id ORDER BY step_index, id",
                Map.of("id", protocolRunId), StepStore::map);
    }

    /** Compare-and-set of the status; false when another writer got there first. */
    public boolean transition(StepRun s, StepStatus to, String lastError) {
        boolean starting = to == StepStatus.RUNNING;
        boolean finishing = to == StepStatus.COMPLETED || to == StepStatus.FAILED || to == StepStatus.CANCELLED
                || to == StepStatus.BLOCKED || to == StepStatus.NEEDS_QA;
        long now = Clock.now();
        return jdbc.update("""
                UPDATE step_runs SET status = :to, last_error = :last_error, version = version + 1, updated_at = :now,
                       blocked_reason = NULL,
                       started_at = CASE WHEN :starting = 1 THEN :now ELSE started_at END,
                       finished_at = CASE WHEN :starting = 1 THEN NULL WHEN :finishing = 1 THEN :now ELSE finished_at END
                WHERE id = :id AND status = :from AND version = :version""",
                new MapSqlParameterSource().addValue("to", to.api()).addValue("last_error", lastError)
                        .addValue("now", now).addValue("starting", starting ? 1 : 0).addValue("finishing", finishing ? 1 : 0)
                        .addValue("id", s.id()).addValue("from", s.status().api()).addValue("version", s.version())) == 1;
    }

    /** Why the blocked step waits ({@link StepRun#NEEDS_INPUT}); a later transition clears it. */
    public void setBlockedReason(long id, String reason) {
        jdbc.update("UPDATE step_runs SET blocked_reason = :reason, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("reason", reason).addValue("now", Clock.now()).addValue("id", id));
    }

    /** The step's questions and answers, oldest first (the whole list is written). */
    public void setQuestions(long id, List<StepQuestion> questions) {
        jdbc.update("UPDATE step_runs SET questions = :questions, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("questions", JsonColumns.write(questions.stream().map(StepQuestion::row).toList()))
                        .addValue("now", Clock.now()).addValue("id", id));
    }

    /**
     * Removes the protocol's pending steps that nothing refers to (no event, engine run or CI row): the
     * steps of a rejected plan, before planning runs again. Returns how many went.
     */
    public int deleteUnstarted(long protocolRunId) {
        return jdbc.update("""
                DELETE FROM step_runs WHERE protocol_run_id = :id AND status = 'pending'
                  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.step_run_id = step_runs.id)
                  AND NOT EXISTS (SELECT 1 FROM engine_runs r WHERE r.step_run_id = step_runs.id)
                  AND NOT EXISTS (SELECT 1 FROM ci_step_starts c WHERE c.step_run_id = step_runs.id)
                  AND NOT EXISTS (SELECT 1 FROM ci_fixes f WHERE f.step_run_id = step_runs.id)""",
                Map.of("id", protocolRunId));
    }

    public void markExecuted(long id, String commitSha, long seq) {
        jdbc.update("UPDATE step_runs SET execution_commit = :sha, executed_seq = :seq, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("sha", commitSha).addValue("seq", seq)
                        .addValue("now", Clock.now()).addValue("id", id));
    }

    /** Where an execute job of a step started: the job and the commit the worktree was at. */
    public record ExecStart(String jobId, String commit) {}

    /** Recorded when an execute job first starts, before the agent runs. */
    public void setExecStart(long id, String jobId, String sha) {
        jdbc.update("UPDATE step_runs SET exec_start_commit = :start, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("start", jobId + " " + sha).addValue("now", Clock.now())
                        .addValue("id", id));
    }

    public Optional<ExecStart> execStart(long id) {
        String v = jdbc.queryForObject("SELECT exec_start_commit FROM step_runs WHERE id = :id", Map.of("id", id),
                String.class);
        if (v == null || v.indexOf(' ') < 0) return Optional.empty();
        return Optional.of(new ExecStart(v.substring(0, v.indexOf(' ')), v.substring(v.indexOf(' ') + 1)));
    }

    public void setQa(long id, String verdict, String report) {
        jdbc.update("UPDATE step_runs SET qa_verdict = :verdict, qa_report = :report, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("verdict", verdict).addValue("report", report)
                        .addValue("now", Clock.now()).addValue("id", id));
    }

    /** The QA checks' results of the step's current QA run (null: none declared). */
    public void setQaChecks(long id, List<CheckResult> results) {
        jdbc.update("UPDATE step_runs SET qa_checks = :checks, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("checks", results == null ? null
                        : JsonColumns.write(results.stream().map(CheckResult::view).toList()))
                        .addValue("now", Clock.now()).addValue("id", id));
    }

    public void setQaVerdictSource(long id, String source) {
        jdbc.update("UPDATE step_runs SET qa_verdict_source = :source, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("source", source).addValue("now", Clock.now()).addValue("id", id));
    }

    public void setEngine(long id, String engine, String model) {
        jdbc.update("UPDATE step_runs SET engine = :engine, model = :model, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("engine", engine).addValue("model", model)
                        .addValue("now", Clock.now()).addValue("id", id));
    }

    public void addUsage(long id, long tokens, Double costUsd) {
        jdbc.update("""
                UPDATE step_runs SET tokens_used = tokens_used + :tokens,
                       cost_usd = CASE WHEN :has_cost = 1 THEN COALESCE(cost_usd, 0) + :cost ELSE cost_usd END,
                       updated_at = :now
                WHERE id = :id""",
                new MapSqlParameterSource().addValue("tokens", tokens).addValue("has_cost", costUsd == null ? 0 : 1)
                        .addValue("cost", costUsd == null ? 0.0 : costUsd).addValue("now", Clock.now()).addValue("id", id));
    }

    /** The step whose execution produced {@code sha}, if any. */
    public Optional<StepRun> byCommit(long protocolRunId, String sha) {
        if (sha == null || sha.isBlank()) return Optional.empty();
        return jdbc.query("""
                SELECT * FROM step_runs WHERE protocol_run_id = :id AND execution_commit = :sha
                ORDER BY executed_seq DESC LIMIT 1""", Map.of("id", protocolRunId, "sha", sha), StepStore::map)
                .stream().findFirst();
    }

    /** Ids of the protocol runs of these projects one of whose steps pushed commit {@code sha}, oldest first. */
    public List<Long> runsByCommit(Collection<Long> projectIds, String sha) {
        if (projectIds.isEmpty() || sha == null || sha.isBlank()) return List.of();
        return jdbc.queryForList("""
                SELECT DISTINCT s.protocol_run_id FROM step_runs s JOIN protocol_runs p ON p.id = s.protocol_run_id
                WHERE p.project_id IN (:project_ids) AND s.execution_commit = :sha ORDER BY s.protocol_run_id""",
                Map.of("project_ids", projectIds, "sha", sha.trim()), Long.class);
    }

    /** The most recently executed step, by execution order (never by timestamp). */
    public Optional<StepRun> lastExecuted(long protocolRunId) {
        return jdbc.query("""
                SELECT * FROM step_runs WHERE protocol_run_id = :id AND executed_seq IS NOT NULL
                ORDER BY executed_seq DESC LIMIT 1""", Map.of("id", protocolRunId), StepStore::map).stream().findFirst();
    }

    static StepRun map(ResultSet rs, int i) throws SQLException {
        return new StepRun(rs.getLong("id"), rs.getLong("protocol_run_id"), rs.getInt("step_index"),
                rs.getString("step_name"), StepType.parse(rs.getString("step_type")),
                StepStatus.parse(rs.getString("status")), rs.getString("engine"), rs.getString("model"),
                rs.getLong("tokens_used"), Rows.nullableDouble(rs, "cost_usd"), rs.getString("qa_verdict"),
                rs.getString("qa_report"), rs.getString("execution_commit"), Rows.nullableLong(rs, "executed_seq"),
                rs.getString("last_error"), Rows.nullableLong(rs, "started_at"), Rows.nullableLong(rs, "finished_at"),
                rs.getLong("version"), rs.getLong("created_at"), rs.getLong("updated_at"), qaChecks(rs.getString("qa_checks")),
                rs.getString("qa_verdict_source"), rs.getString("blocked_reason"), questions(rs.getString("questions")));
    }

    private static List<StepQuestion> questions(String json) {
        List<Map<String, Object>> rows = JsonColumns.list(json);
        return rows == null ? List.of() : rows.stream().map(StepQuestion::fromRow).toList();
    }

    private static List<CheckResult> qaChecks(String json) {
        List<Map<String, Object>> rows = JsonColumns.list(json);
        return rows == null ? null : rows.stream().map(CheckResult::fromView).toList();
    }
}
