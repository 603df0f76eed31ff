package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.store.Page;
import io.deksdenflow.orchestrator.store.JsonColumns;
import io.deksdenflow.orchestrator.store.Constraints;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.secrets.SecretsCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class ProjectStore {
    private final NamedParameterJdbcTemplate jdbc;
    private final SecretsCipher cipher;

    public ProjectStore(NamedParameterJdbcTemplate jdbc, SecretsCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    public record NewProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                             Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                             List<Check> checks, Budget budget, Map<String, String> defaultEngines,
                             List<String> agentEgress, Intake intake, String planApproval, String sync) {

        public NewProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                          Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                          List<Check> checks, Budget budget, Map<String, String> defaultEngines,
                          List<String> agentEgress, Intake intake, String planApproval) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, checks, budget,
                    defaultEngines, agentEgress, intake, planApproval, null);
        }

        public NewProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                          Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                          List<Check> checks, Budget budget, Map<String, String> defaultEngines,
                          List<String> agentEgress, Intake intake) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, checks, budget,
                    defaultEngines, agentEgress, intake, (String) null);
        }

        public NewProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                          Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                          List<Check> checks, Budget budget, Map<String, String> defaultEngines,
                          List<String> agentEgress) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, checks, budget,
                    defaultEngines, agentEgress, (Intake) null);
        }

        public NewProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                          Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                          List<Check> checks, Budget budget, Map<String, String> defaultEngines) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, checks, budget,
                    defaultEngines, null);
        }

        public NewProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                          Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, null, null,
                    null);
        }

        public NewProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                          Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                          List<Check> checks, Budget budget) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, checks, budget,
                    null);
        }
    }

    public Project insert(NewProject p) {
        long now = Clock.now();
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("name", p.name()).addValue("git_url", p.gitUrl()).addValue("base_branch", p.baseBranch())
                .addValue("ci_provider", p.ciProvider()).addValue("default_engine", p.defaultEngine())
                .addValue("default_models", JsonColumns.write(p.defaultModels()))
                .addValue("default_engines", JsonColumns.write(p.defaultEngines() == null ? Map.of() : p.defaultEngines()))
                .addValue("secrets", cipher.encrypt(JsonColumns.write(p.secrets())))
                .addValue("token_hash", p.projectTokenHash())
                .addValue("checks", ProjectColumns.writeChecks(p.checks()))
                .addValue("budget", ProjectColumns.writeBudget(p.budget()))
                .addValue("agent_egress", JsonColumns.writeNullable(p.agentEgress()))
                .addValue("intake", ProjectColumns.writeIntake(p.intake()))
                .addValue("plan_approval", p.planApproval())
                .addValue("sync_mode", p.sync())
                .addValue("status", ProjectStatus.PENDING.api()).addValue("now", now);
        try {
            Long id = jdbc.queryForObject("""
                    INSERT INTO projects (name, git_url, base_branch, ci_provider, default_engine, default_models,
                                          secrets, project_token_hash, status, created_at, updated_at, checks, budget,
                                          default_engines, agent_egress, intake, plan_approval, sync_mode)
                    VALUES (:name, :git_url, :base_branch, :ci_provider, :default_engine, :default_models,
                            :secrets, :token_hash, :status, :now, :now, :checks, :budget, :default_engines, :agent_egress,
                            :intake, :plan_approval, :sync_mode)
                    RETURNING id""", params, Long.class);
            return get(id);
        } catch (org.springframework.dao.DataAccessException e) {
            if (!Constraints.isUniqueViolation(e)) throw e;
            throw new ConflictException("a project named '" + p.name() + "' already exists");
        }
    }

    public Optional<Project> find(long id) {
        return jdbc.query("SELECT * FROM projects WHERE id = :id", Map.of("id", id), this::map).stream().findFirst();
    }

    public Project get(long id) {
        return find(id).orElseThrow(() -> new NotFoundException("project", id));
    }

    public Page<Project> list(Long after, int limit) {
        List<Project> rows = jdbc.query("SELECT * FROM projects WHERE id > :after ORDER BY id LIMIT :limit",
                Map.of("after", after == null ? 0L : after, "limit", limit + 1), this::map);
        return Page.of(rows, limit, Project::id);
    }

    public List<Project> all() {
        return jdbc.query("SELECT * FROM projects ORDER BY id", Map.of(), this::map);
    }

    /** Every project's git_url by id (no secrets decrypted). */
    public Map<Long, String> gitUrls() {
        Map<Long, String> out = new LinkedHashMap<>();
        jdbc.query("SELECT id, git_url FROM projects ORDER BY id", Map.of(),
                (ResultSet rs) -> { out.put(rs.getLong("id"), rs.getString("git_url")); });
        return out;
    }

    /** Compare-and-set on the status; false when another writer changed it first. */
    public boolean transition(Project p, ProjectStatus to, String localPath, String lastError) {
        return jdbc.update("""
                UPDATE projects SET status = :to, local_path = COALESCE(:local_path, local_path), last_error = :last_error,
                       version = version + 1, updated_at = :now
                WHERE id = :id AND status = :from AND version = :version""",
                new MapSqlParameterSource().addValue("to", to.api()).addValue("local_path", localPath)
                        .addValue("last_error", lastError).addValue("now", Clock.now()).addValue("id", p.id())
                        .addValue("from", p.status().api()).addValue("version", p.version())) == 1;
    }

    /** The changeable settings of {@code before} become those of {@code after}: compare-and-set on the version. */
    public boolean update(Project before, Project after) {
        return jdbc.update("""
                UPDATE projects SET base_branch = :base_branch, ci_provider = :ci_provider,
                       default_engine = :default_engine, default_models = :default_models,
                       default_engines = :default_engines, secrets = :secrets, checks = :checks, budget = :budget,
                       agent_egress = :agent_egress, intake = :intake,
                       plan_approval = :plan_approval, sync_mode = :sync_mode, version = version + 1, updated_at = :now
                WHERE id = :id AND version = :version""",
                new MapSqlParameterSource().addValue("base_branch", after.baseBranch())
                        .addValue("ci_provider", after.ciProvider()).addValue("default_engine", after.defaultEngine())
                        .addValue("default_models", JsonColumns.write(after.defaultModels()))
                        .addValue("default_engines", JsonColumns.write(after.defaultEngines()))
                        .addValue("secrets", cipher.encrypt(JsonColumns.write(after.secrets())))
                        .addValue("checks", ProjectColumns.writeChecks(after.checks()))
                        .addValue("budget", ProjectColumns.writeBudget(after.budget()))
                        .addValue("agent_egress", JsonColumns.writeNullable(after.agentEgress()))
                        .addValue("intake", ProjectColumns.writeIntake(after.intake()))
                        .addValue("plan_approval", after.planApproval())
                        .addValue("sync_mode", after.sync())
                        .addValue("now", Clock.now()).addValue("id", before.id())
                        .addValue("version", before.version())) == 1;
    }

    /** The secrets column holds ciphertext (see SecretsCipher); plaintext JSON only in rows written before it. */
    private Map<String, String> secrets(String stored) {
        return JsonColumns.strings(SecretsCipher.isCiphertext(stored) ? cipher.decrypt(stored) : stored);
    }

    Project map(ResultSet rs, int i) throws SQLException {
        return new Project(rs.getLong("id"), rs.getString("name"), rs.getString("git_url"), rs.getString("base_branch"),
                rs.getString("ci_provider"), rs.getString("default_engine"),
                JsonColumns.strings(rs.getString("default_models")), secrets(rs.getString("secrets")),
                rs.getString("project_token_hash"), ProjectStatus.parse(rs.getString("status")),
                rs.getString("local_path"), rs.getString("last_error"), rs.getLong("version"),
                rs.getLong("created_at"), rs.getLong("updated_at"), ProjectColumns.checks(rs.getString("checks")),
                ProjectColumns.budget(rs.getString("budget")), JsonColumns.strings(rs.getString("default_engines")),
                ProjectColumns.egress(rs.getString("agent_egress")), ProjectColumns.intake(rs.getString("intake")),
                rs.getString("plan_approval"), rs.getString("sync_mode"));
    }
}
