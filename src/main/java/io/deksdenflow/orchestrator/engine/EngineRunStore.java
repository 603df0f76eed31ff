package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.store.Rows;
import io.deksdenflow.orchestrator.store.Page;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.NotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** One row per engine invocation: who ran what, how long, what it cost, where its log is. */
@Repository
public class EngineRunStore {
    private final NamedParameterJdbcTemplate jdbc;

    public EngineRunStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record EngineRun(long id, Long stepRunId, long protocolRunId, String jobId, String phase, String engine,
                            String model, long startedAt, Long finishedAt, Integer exitCode, long tokensIn,
                            long tokensOut, boolean tokensEstimated, Double costUsd, String logPath, String error,
                            long tokensCached, String costSource, String errorClass) {}

    /** The columns of {@link EngineRun}: a listing never carries the runs' kept logs ({@link #keptLog}). */
    private static final String COLUMNS = "id, step_run_id, protocol_run_id, job_id, phase, engine, model, started_at, "
            + "finished_at, exit_code, tokens_in, tokens_out, tokens_estimated, cost_usd, log_path, error, tokens_cached, "
            + "cost_source, error_class";

    public long start(Long stepRunId, long protocolRunId, String jobId, String phase, String engine, String model, String logPath) {
        return jdbc.queryForObject("""
                INSERT INTO engine_runs (step_run_id, protocol_run_id, job_id, phase, engine, model, started_at, log_path)
                VALUES (:step_run_id, :protocol_run_id, :job_id, :phase, :engine, :model, :now, :log_path)
                RETURNING id""",
                new MapSqlParameterSource().addValue("step_run_id", stepRunId).addValue("protocol_run_id", protocolRunId)
                        .addValue("job_id", jobId).addValue("phase", phase).addValue("engine", engine)
                        .addValue("model", model).addValue("now", Clock.now()).addValue("log_path", logPath), Long.class);
    }

    public void finish(long id, Integer exitCode, long tokensIn, long tokensOut, boolean estimated, Double cost, String error) {
        finish(id, exitCode, tokensIn, tokensOut, estimated, cost, error, null);
    }

    /** @param errorClass "permanent", "transient" or "usage_limit" when the run failed; null otherwise */
    public void finish(long id, Integer exitCode, long tokensIn, long tokensOut, boolean estimated, Double cost, String error,
                       String errorClass) {
        jdbc.update("""
                UPDATE engine_runs SET finished_at = :now, exit_code = :exit_code, tokens_in = :tokens_in,
                       tokens_out = :tokens_out, tokens_estimated = :estimated, cost_usd = :cost, error = :error,
                       error_class = :error_class
                WHERE id = :id""",
                new MapSqlParameterSource().addValue("now", Clock.now()).addValue("exit_code", exitCode)
                        .addValue("tokens_in", tokensIn).addValue("tokens_out", tokensOut).addValue("estimated", estimated)
                        .addValue("cost", cost).addValue("error", error).addValue("error_class", errorClass)
                        .addValue("id", id));
    }

    /** A run that ended with its usage: {@link #finish} and {@link #finishCost} in one statement. */
    public void finish(long id, Integer exitCode, long tokensIn, long tokensOut, long tokensCached, boolean estimated,
                       Double cost, String costSource) {
        jdbc.update("""
                UPDATE engine_runs SET finished_at = :now, exit_code = :exit_code, tokens_in = :tokens_in,
                       tokens_out = :tokens_out, tokens_cached = :cached, tokens_estimated = :estimated, cost_usd = :cost,
                       cost_source = :source, error = NULL, error_class = NULL
                WHERE id = :id""",
                new MapSqlParameterSource().addValue("now", Clock.now()).addValue("exit_code", exitCode)
                        .addValue("tokens_in", tokensIn).addValue("tokens_out", tokensOut).addValue("cached", tokensCached)
                        .addValue("estimated", estimated).addValue("cost", cost).addValue("source", costSource)
                        .addValue("id", id));
    }

    /** A run that ended but whose outcome was judged a failure afterwards (e.g. an exec that changed nothing). */
    public void markFailed(long id, String error, String errorClass) {
        jdbc.update("UPDATE engine_runs SET error = :error, error_class = :error_class WHERE id = :id",
                new MapSqlParameterSource().addValue("error", error).addValue("error_class", errorClass).addValue("id", id));
    }

    /** The usage and cost of a finished run: cached input tokens and where the cost came from. */
    public void finishCost(long id, long tokensCached, String costSource) {
        jdbc.update("UPDATE engine_runs SET tokens_cached = :cached, cost_source = :source WHERE id = :id",
                new MapSqlParameterSource().addValue("cached", tokensCached).addValue("source", costSource).addValue("id", id));
    }

    /**
     * Keeps the end of the run's log in its row (the run ended): any process serves it from there, whatever disk the
     * run's worker had. A log that cannot be read leaves the row as it was.
     */
    public void keepLog(long id, Path logFile) {
        RunLogTail tail;
        try {
            tail = RunLogTail.read(logFile);
        } catch (UncheckedIOException e) {
            return;
        }
        jdbc.update("UPDATE engine_runs SET log_tail = :tail, log_truncated = :truncated WHERE id = :id",
                new MapSqlParameterSource().addValue("tail", tail.text()).addValue("truncated", tail.truncated())
                        .addValue("id", id));
    }

    /** The log kept in the run's row at its end ({@link #keepLog}); empty while the run goes on. */
    public Optional<RunLogTail> keptLog(long id) {
        return jdbc.query("SELECT log_tail, log_truncated FROM engine_runs WHERE id = :id AND log_tail IS NOT NULL",
                Map.of("id", id), (rs, i) -> new RunLogTail(rs.getString("log_tail"), rs.getBoolean("log_truncated")))
                .stream().findFirst();
    }

    public EngineRun get(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM engine_runs WHERE id = :id", Map.of("id", id), EngineRunStore::map)
                .stream().findFirst().orElseThrow(() -> new NotFoundException("run", id));
    }

    public Page<EngineRun> byStep(long stepRunId, Long after, int limit) {
        return Page.of(jdbc.query("SELECT " + COLUMNS
                        + " FROM engine_runs WHERE step_run_id = :id AND id > :after ORDER BY id LIMIT :limit",
                Map.of("id", stepRunId, "after", after == null ? 0L : after, "limit", limit + 1), EngineRunStore::map),
                limit, EngineRun::id);
    }

    public List<EngineRun> byProtocol(long protocolRunId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM engine_runs WHERE protocol_run_id = :id ORDER BY id",
                Map.of("id", protocolRunId), EngineRunStore::map);
    }

    static EngineRun map(ResultSet rs, int i) throws SQLException {
        return new EngineRun(rs.getLong("id"), Rows.nullableLong(rs, "step_run_id"), rs.getLong("protocol_run_id"),
                rs.getString("job_id"), rs.getString("phase"), rs.getString("engine"), rs.getString("model"),
                rs.getLong("started_at"), Rows.nullableLong(rs, "finished_at"), Rows.nullableInt(rs, "exit_code"),
                rs.getLong("tokens_in"), rs.getLong("tokens_out"), rs.getBoolean("tokens_estimated"),
                Rows.nullableDouble(rs, "cost_usd"), rs.getString("log_path"), rs.getString("error"),
                rs.getLong("tokens_cached"), rs.getString("cost_source"), rs.getString("error_class"));
    }
}
