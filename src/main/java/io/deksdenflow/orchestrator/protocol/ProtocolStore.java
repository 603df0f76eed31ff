package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.project.ProjectColumns;
import io.deksdenflow.orchestrator.store.Rows;
import io.deksdenflow.orchestrator.store.Page;
import io.deksdenflow.orchestrator.store.JsonColumns;
import io.deksdenflow.orchestrator.store.Constraints;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.project.Check;
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
public class ProtocolStore {
    private final NamedParameterJdbcTemplate jdbc;

    public ProtocolStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record NewProtocol(long projectId, String protocolName, String description, String baseBranch,
                              String engine, boolean autoAdvance, List<Check> checks, Map<String, String> engines,
                              Long issueNumber, String issueUrl, String planApproval) {

        public NewProtocol(long projectId, String protocolName, String description, String baseBranch, String engine,
                           boolean autoAdvance, List<Check> checks, Map<String, String> engines, Long issueNumber,
                           String issueUrl) {
            this(projectId, protocolName, description, baseBranch, engine, autoAdvance, checks, engines, issueNumber,
                    issueUrl, null);
        }

        public NewProtocol(long projectId, String protocolName, String description, String baseBranch, String engine,
                           boolean autoAdvance, List<Check> checks, Map<String, String> engines) {
            this(projectId, protocolName, description, baseBranch, engine, autoAdvance, checks, engines, null, null, null);
        }

        public NewProtocol(long projectId, String protocolName, String description, String baseBranch, String engine,
                           boolean autoAdvance) {
            this(projectId, protocolName, description, baseBranch, engine, autoAdvance, null, null);
        }

        public NewProtocol(long projectId, String protocolName, String description, String baseBranch, String engine,
                           boolean autoAdvance, List<Check> checks) {
            this(projectId, protocolName, description, baseBranch, engine, autoAdvance, checks, null);
        }
    }

    public ProtocolRun insert(NewProtocol p) {
        long now = Clock.now();
        try {
            Long id = jdbc.queryForObject("""
                    INSERT INTO protocol_runs (project_id, protocol_name, description, base_branch, engine, auto_advance,
                                               status, created_at, updated_at, checks, engines, issue_number, issue_url,
                                               plan_approval)
                    VALUES (:project_id, :name, :description, :base_branch, :engine, :auto_advance, :status, :now, :now,
                            :checks, :engines, :issue_number, :issue_url, :plan_approval)
                    RETURNING id""",
                    new MapSqlParameterSource().addValue("project_id", p.projectId()).addValue("name", p.protocolName())
                            .addValue("description", p.description()).addValue("base_branch", p.baseBranch())
                            .addValue("engine", p.engine()).addValue("auto_advance", p.autoAdvance())
                            .addValue("engines", JsonColumns.write(p.engines() == null ? Map.of() : p.engines()))
                            .addValue("status", ProtocolStatus.PENDING.db()).addValue("now", now)
                            .addValue("checks", ProjectColumns.writeChecks(p.checks()))
                            .addValue("issue_number", p.issueNumber()).addValue("issue_url", p.issueUrl())
                            .addValue("plan_approval", p.planApproval()), Long.class);
            return get(id);
        } catch (org.springframework.dao.DataAccessException e) {
            if (!Constraints.isUniqueViolation(e)) throw e;
            throw new ConflictException("protocol '" + p.protocolName() + "' already exists in project " + p.projectId());
        }
    }

    /** The protocol the intake took in from issue {@code issueNumber} of the project, if any. */
    public Optional<ProtocolRun> findByIssue(long projectId, long issueNumber) {
        return jdbc.query("SELECT * FROM protocol_runs WHERE project_id = :project_id AND issue_number = :issue",
                Map.of("project_id", projectId, "issue", issueNumber), ProtocolStore::map).stream().findFirst();
    }

    /** The highest 4-digit number of the project's protocol names (0 when none): intake names the next one. */
    public int maxNumber(long projectId) {
        return jdbc.queryForList("SELECT protocol_name FROM protocol_runs WHERE project_id = :project_id",
                        Map.of("project_id", projectId), String.class).stream()
                .filter(n -> n.length() > 4 && n.substring(0, 4).chars().allMatch(Character::isDigit))
                .mapToInt(n -> Integer.parseInt(n.substring(0, 4))).max().orElse(0);
    }

    public Optional<ProtocolRun> find(long id) {
        return jdbc.query("SELECT * FROM protocol_runs WHERE id = :id", Map.of("id", id), ProtocolStore::map)
                .stream().findFirst();
    }

    public ProtocolRun get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("protocol", id));
    }

    public Page<ProtocolRun> listByProject(long projectId, Long after, int limit) {
        List<ProtocolRun> rows = jdbc.query("""
                SELECT * FROM protocol_runs WHERE project_id = :project_id AND id > :after ORDER BY id LIMIT :limit""",
                Map.of("project_id", projectId, "after", after == null ? 0L : after, "limit", limit + 1), ProtocolStore::map);
        return Page.of(rows, limit, ProtocolRun::id);
    }

    /**
     * The project's protocols on base branch {@code base} that have started (not pending) and are not completed,
     * failed or cancelled, oldest first.
     */
    public List<ProtocolRun> activeOnBase(long projectId, String base) {
        return jdbc.query("""
                SELECT * FROM protocol_runs WHERE project_id = :project_id AND base_branch = :base
                AND status NOT IN ('pending', 'completed', 'failed', 'cancelled') ORDER BY id""",
                Map.of("project_id", projectId, "base", base), ProtocolStore::map);
    }

    /** Protocols whose name equals one of the branch candidates, in the given projects. */
    public List<ProtocolRun> findByNames(Collection<Long> projectIds, Collection<String> names) {
        if (projectIds.isEmpty() || names.isEmpty()) return List.of();
        return jdbc.query("""
                SELECT * FROM protocol_runs WHERE project_id IN (:project_ids) AND protocol_name IN (:names) ORDER BY id""",
                Map.of("project_ids", projectIds, "names", names), ProtocolStore::map);
    }

    public Map<String, Long> countByStatus() {
        Map<String, Long> out = new java.util.TreeMap<>();
        jdbc.query("SELECT status, COUNT(*) AS n FROM protocol_runs GROUP BY status", Map.of(),
                rs -> { out.put(rs.getString("status"), rs.getLong("n")); });
        return out;
    }

    /** Compare-and-set of the status (and version); false when another writer got there first. */
    public boolean transition(ProtocolRun p, ProtocolStatus to, ProtocolStatus pausedFrom) {
        return jdbc.update("""
                UPDATE protocol_runs SET status = :to, paused_from = :paused_from, version = version + 1, updated_at = :now
                WHERE id = :id AND status = :from AND version = :version""",
                new MapSqlParameterSource().addValue("to", to.db())
                        .addValue("paused_from", pausedFrom == null ? null : pausedFrom.db())
                        .addValue("now", Clock.now()).addValue("id", p.id()).addValue("from", p.status().db())
                        .addValue("version", p.version())) == 1;
    }

    public void setWorktree(long id, String path) {
        jdbc.update("UPDATE protocol_runs SET worktree_path = :path, updated_at = :now WHERE id = :id",
                Map.of("path", path, "now", Clock.now(), "id", id));
    }

    /** reject_plan: the feedback the next planning run reads, and one more re-plan counted. */
    public void rejectPlan(long id, String feedback) {
        jdbc.update("UPDATE protocol_runs SET plan_feedback = :feedback, replans = replans + 1, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("feedback", feedback).addValue("now", Clock.now()).addValue("id", id));
    }

    /** The plan that read the feedback is written: the feedback is no longer pending. */
    public void clearPlanFeedback(long id) {
        jdbc.update("UPDATE protocol_runs SET plan_feedback = NULL, updated_at = :now WHERE id = :id",
                Map.of("now", Clock.now(), "id", id));
    }

    public void setPrUrl(long id, String url) {
        jdbc.update("UPDATE protocol_runs SET pr_url = :url, updated_at = :now WHERE id = :id",
                Map.of("url", url, "now", Clock.now(), "id", id));
    }

    public void setLastError(long id, String error) {
        jdbc.update("UPDATE protocol_runs SET last_error = :error, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("error", error).addValue("now", Clock.now()).addValue("id", id));
    }

    /** Adds an engine call's usage to the protocol's totals (atomic increment, never read-modify-write). */
    public void addUsage(long id, long tokens, Double costUsd) {
        jdbc.update("""
                UPDATE protocol_runs SET tokens_used = tokens_used + :tokens,
                       cost_usd = CASE WHEN :has_cost = 1 THEN COALESCE(cost_usd, 0) + :cost ELSE cost_usd END,
                       updated_at = :now
                WHERE id = :id""",
                new MapSqlParameterSource().addValue("tokens", tokens).addValue("has_cost", costUsd == null ? 0 : 1)
                        .addValue("cost", costUsd == null ? 0.0 : costUsd).addValue("now", Clock.now()).addValue("id", id));
    }

    /** A pending intake protocol and the issues it waits for. */
    public record Waiting(long protocolRunId, long projectId, Long issueNumber, List<Long> waitingFor) {}

    /** Records (or, with null or empty, clears) the issues an intake protocol waits for. */
    public void setWaitingFor(long id, List<Long> issues) {
        jdbc.update("UPDATE protocol_runs SET waiting_for = :w, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("w", issues == null || issues.isEmpty() ? null : JsonColumns.write(issues))
                        .addValue("now", Clock.now()).addValue("id", id));
    }

    /** The issues protocol {@code id} waits for; empty when none. */
    public List<Long> waitingFor(long id) {
        return jdbc.query("SELECT waiting_for FROM protocol_runs WHERE id = :id", Map.of("id", id),
                (rs, i) -> issues(rs.getString("waiting_for"))).stream().findFirst().orElse(List.of());
    }

    /** The project's pending protocols that wait for issues, oldest first. */
    public List<Waiting> waiting(long projectId) {
        return jdbc.query("""
                SELECT id, project_id, issue_number, waiting_for FROM protocol_runs
                WHERE project_id = :project_id AND waiting_for IS NOT NULL AND status = 'pending' ORDER BY id""",
                Map.of("project_id", projectId), (rs, i) -> new Waiting(rs.getLong("id"), rs.getLong("project_id"),
                        Rows.nullableLong(rs, "issue_number"), issues(rs.getString("waiting_for"))));
    }

    private static List<Long> issues(String json) {
        if (json == null) return List.of();
        return JsonColumns.stringList(json).stream().map(Long::parseLong).toList();
    }

    /** Records (or, with null, clears) which budget limit paused the protocol. */
    public void setBudgetHold(long id, Map<String, ?> hold) {
        jdbc.update("UPDATE protocol_runs SET budget_hold = :hold, updated_at = :now WHERE id = :id",
                new MapSqlParameterSource().addValue("hold", JsonColumns.writeNullable(hold)).addValue("now", Clock.now())
                        .addValue("id", id));
    }

    /** raise_budget: the protocol's own limits (null leaves one as it is). */
    public void raiseLimits(long id, Long maxTokens, Double maxCostUsd) {
        jdbc.update("""
                UPDATE protocol_runs SET max_tokens = COALESCE(:max_tokens, max_tokens),
                       max_cost_usd = COALESCE(:max_cost_usd, max_cost_usd), updated_at = :now
                WHERE id = :id""",
                new MapSqlParameterSource().addValue("max_tokens", maxTokens).addValue("max_cost_usd", maxCostUsd)
                        .addValue("now", Clock.now()).addValue("id", id));
    }

    /** Cost of a project's engine runs started at or after {@code since} (epoch ms): its monthly spend. */
    public double projectCostSince(long projectId, long since) {
        Double d = jdbc.queryForObject("""
                SELECT COALESCE(SUM(r.cost_usd), 0) FROM engine_runs r JOIN protocol_runs p ON p.id = r.protocol_run_id
                WHERE p.project_id = :project_id AND r.started_at >= :since""",
                Map.of("project_id", projectId, "since", since), Double.class);
        return d == null ? 0.0 : d;
    }

    /** A project's totals over every protocol: tokens and cost. */
    public Totals projectTotals(long projectId) {
        return jdbc.queryForObject("""
                SELECT COALESCE(SUM(tokens_used), 0) AS tokens_used, COALESCE(SUM(cost_usd), 0) AS cost_usd
                FROM protocol_runs WHERE project_id = :project_id""", Map.of("project_id", projectId),
                (rs, i) -> new Totals(rs.getLong("tokens_used"), rs.getDouble("cost_usd")));
    }

    public record Totals(long tokensUsed, double costUsd) {}

    /** The next execution sequence number of this protocol: the order steps were executed in. */
    public long nextExecSeq(long id) {
        return jdbc.queryForObject("UPDATE protocol_runs SET exec_seq = exec_seq + 1 WHERE id = :id RETURNING exec_seq",
                Map.of("id", id), Long.class);
    }

    static ProtocolRun map(ResultSet rs, int i) throws SQLException {
        String pausedFrom = rs.getString("paused_from");
        return new ProtocolRun(rs.getLong("id"), rs.getLong("project_id"), rs.getString("protocol_name"),
                rs.getString("description"), rs.getString("base_branch"), rs.getString("engine"),
                rs.getBoolean("auto_advance"), ProtocolStatus.parse(rs.getString("status")),
                pausedFrom == null ? null : ProtocolStatus.parse(pausedFrom), rs.getString("worktree_path"),
                rs.getString("pr_url"), rs.getLong("tokens_used"), Rows.nullableDouble(rs, "cost_usd"),
                rs.getLong("exec_seq"), rs.getString("last_error"), rs.getLong("version"),
                rs.getLong("created_at"), rs.getLong("updated_at"), ProjectColumns.checks(rs.getString("checks")),
                Rows.nullableLong(rs, "max_tokens"), Rows.nullableDouble(rs, "max_cost_usd"),
                rs.getString("budget_hold") == null ? null : JsonColumns.objects(rs.getString("budget_hold")),
                JsonColumns.strings(rs.getString("engines")), Rows.nullableLong(rs, "issue_number"),
                rs.getString("issue_url"), rs.getString("plan_approval"), rs.getString("plan_feedback"),
                rs.getInt("replans"), issues(rs.getString("waiting_for")));
    }
}
