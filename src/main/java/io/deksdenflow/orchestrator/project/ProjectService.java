package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.PhaseEngines;
import io.deksdenflow.orchestrator.engine.EngineRegistry;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.git.GitUrlPolicy;
import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.common.Branches;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/** Registers projects (secrets and token write-only) and requests their workspace set-up: input checks, then one {@link ProjectLifecycle} call. */
@Service
public class ProjectService {
    private final ProjectLifecycle lifecycle;
    private final GitUrlPolicy gitUrls;
    private final EngineRegistry engineRegistry;
    private final Forges forges;

    public ProjectService(ProjectLifecycle lifecycle, GitUrlPolicy gitUrls, EngineRegistry engineRegistry, Forges forges) {
        this.forges = forges;
        this.lifecycle = lifecycle;
        this.gitUrls = gitUrls;
        this.engineRegistry = engineRegistry;
    }

    public record CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                                Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                                List<Check.Spec> checks, Budget budget, Map<String, String> defaultEngines,
                                List<String> agentEgress, Intake.Spec intake, String planApproval, String sync) {

        public CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                             Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                             List<Check.Spec> checks, Budget budget, Map<String, String> defaultEngines,
                             List<String> agentEgress, Intake.Spec intake, String planApproval) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectToken, checks, budget,
                    defaultEngines, agentEgress, intake, planApproval, null);
        }

        public CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                             Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                             List<Check.Spec> checks, Budget budget, Map<String, String> defaultEngines,
                             List<String> agentEgress, Intake.Spec intake) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectToken, checks, budget,
                    defaultEngines, agentEgress, intake, (String) null);
        }

        public CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                             Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                             List<Check.Spec> checks, Budget budget, Map<String, String> defaultEngines,
                             List<String> agentEgress) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectToken, checks, budget,
                    defaultEngines, agentEgress, (Intake.Spec) null);
        }

        public CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                             Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                             List<Check.Spec> checks, Budget budget, Map<String, String> defaultEngines) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectToken, checks, budget,
                    defaultEngines, null, null);
        }

        public CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                             Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                             List<Check.Spec> checks, Budget budget) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectToken, checks, budget,
                    null);
        }
    }

    /**
     * The fields a {@code PATCH /projects/{id}} may change, as received; {@code given} names those the
     * request carried (a field given as null clears it, one not given stays as it is). {@code secrets}
     * merges: a key with a value sets it, a key with null removes it.
     */
    public record UpdateProject(Set<String> given, String baseBranch, String ciProvider, String defaultEngine,
                                Map<String, String> defaultModels, Map<String, String> defaultEngines,
                                Map<String, String> secrets, List<Check.Spec> checks, Budget budget,
                                List<String> agentEgress, Intake.Spec intake, String planApproval, String sync) {
        public UpdateProject {
            given = Set.copyOf(given);
        }
    }

    public ActionResult<Project> create(CreateProject req) {
        String name = ProjectRules.requireName(req.name());
        String gitUrl = ProjectRules.requireGitUrl(req.gitUrl(), gitUrls);
        String base = req.baseBranch() == null || req.baseBranch().isBlank() ? "main" : req.baseBranch().trim();
        Branches.requireBranch("base_branch", base);
        String ci = ciProvider(req.ciProvider());
        String engine = defaultEngine(req.defaultEngine());
        Map<String, String> models = ProjectRules.requireDefaultModels(req.defaultModels());
        Map<String, String> engines = defaultEngines(req.defaultEngines());
        Map<String, String> secrets = ProjectRules.requireSecrets(req.secrets());
        List<Check> checks = Checks.require("checks", req.checks());
        Budget budget = Budget.require("budget", req.budget());
        List<String> egress = ProjectRules.requireAgentEgress(req.agentEgress());
        Intake intake = Intake.require("intake", req.intake(), engineRegistry.names());
        String planApproval = PlanApproval.require("plan_approval", req.planApproval());
        String sync = SyncMode.require("sync", req.sync());
        String tokenHash = req.projectToken() == null || req.projectToken().isEmpty() ? null
                : ProjectTokens.hash(ProjectRules.requireToken(req.projectToken()));
        return lifecycle.created(new ProjectStore.NewProject(name, gitUrl, base, ci, engine, models, secrets, tokenHash,
                checks, budget, engines, egress, intake, planApproval, sync));
    }

    /**
     * Changes the given fields, each validated as at registration (a 422 changes nothing), in one
     * {@link ProjectLifecycle#updated} call ({@code project_updated} naming the changed fields).
     */
    public ActionResult<Project> update(long projectId, UpdateProject req) {
        Set<String> given = req.given();
        String base = null;
        if (given.contains("base_branch")) {
            if (req.baseBranch() == null || req.baseBranch().isBlank()) {
                throw new ValidationException("base_branch", "base_branch cannot be cleared");
            }
            base = req.baseBranch().trim();
            Branches.requireBranch("base_branch", base);
        }
        String ci = given.contains("ci_provider") ? ciProvider(req.ciProvider()) : null;
        String engine = given.contains("default_engine") ? defaultEngine(req.defaultEngine()) : null;
        Map<String, String> models = ProjectRules.requireDefaultModels(req.defaultModels());
        Map<String, String> engines = defaultEngines(req.defaultEngines());
        if (given.contains("secrets") && req.secrets() == null) {
            throw new ValidationException("secrets", "secrets must be an object (a key with null removes that secret)");
        }
        Map<String, String> secretChanges = ProjectRules.requireSecretChanges(req.secrets());
        List<Check> checks = Checks.require("checks", req.checks());
        Budget budget = Budget.require("budget", req.budget());
        List<String> egress = ProjectRules.requireAgentEgress(req.agentEgress());
        Intake intake = Intake.require("intake", req.intake(), engineRegistry.names());
        String planApproval = PlanApproval.require("plan_approval", req.planApproval());
        String sync = SyncMode.require("sync", req.sync());
        String newBase = base;
        return lifecycle.updated(projectId, p -> new Project(p.id(), p.name(), p.gitUrl(),
                given.contains("base_branch") ? newBase : p.baseBranch(),
                given.contains("ci_provider") ? ci : p.ciProvider(),
                given.contains("default_engine") ? engine : p.defaultEngine(),
                given.contains("default_models") ? models : p.defaultModels(),
                given.contains("secrets") ? ProjectRules.mergeSecrets(p.secrets(), secretChanges) : p.secrets(),
                p.projectTokenHash(), p.status(), p.localPath(), p.lastError(), p.version(), p.createdAt(),
                p.updatedAt(),
                given.contains("checks") ? checks : p.checks(),
                given.contains("budget") ? budget : p.budget(),
                given.contains("default_engines") ? engines : p.defaultEngines(),
                given.contains("agent_egress") ? egress : p.agentEgress(),
                given.contains("intake") ? intake : p.intake(),
                given.contains("plan_approval") ? planApproval : p.planApproval(),
                given.contains("sync") ? sync : p.sync()));
    }

    private String ciProvider(String raw) {
        String ci = blankToNull(raw);
        if (ci != null && !forges.ids().contains(ci)) {
            throw new ValidationException("ci_provider", "ci_provider must be one of " + forges.idList() + " or null");
        }
        return ci;
    }

    private String defaultEngine(String raw) {
        String engine = blankToNull(raw);
        if (engine != null && !engineRegistry.names().contains(engine)) {
            throw new ValidationException("default_engine", "default_engine must be one of " + engineRegistry.names());
        }
        return engine;
    }

    private Map<String, String> defaultEngines(Map<String, String> raw) {
        return PhaseEngines.require("default_engines", raw, engineRegistry.names());
    }

    /** Clone / refresh the workspace again (after a failure, or to pick up a moved origin). */
    public ActionResult<Project> setup(long projectId) {
        return lifecycle.setupRequested(projectId);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
