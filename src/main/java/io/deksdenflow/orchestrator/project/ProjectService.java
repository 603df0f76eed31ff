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
                                List<String> agentEgress) {

        public CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                             Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                             List<Check.Spec> checks, Budget budget, Map<String, String> defaultEngines) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectToken, checks, budget,
                    defaultEngines, null);
        }

        public CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                             Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                             List<Check.Spec> checks, Budget budget) {
            this(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectToken, checks, budget,
                    null);
        }
    }

    public ActionResult<Project> create(CreateProject req) {
        String name = ProjectRules.requireName(req.name());
        String gitUrl = ProjectRules.requireGitUrl(req.gitUrl(), gitUrls);
        String base = req.baseBranch() == null || req.baseBranch().isBlank() ? "main" : req.baseBranch().trim();
        Branches.requireBranch("base_branch", base);
        String ci = blankToNull(req.ciProvider());
        if (ci != null && !forges.ids().contains(ci)) {
            throw new ValidationException("ci_provider", "ci_provider must be one of " + forges.idList() + " or null");
        }
        String engine = blankToNull(req.defaultEngine());
        if (engine != null && !engineRegistry.names().contains(engine)) {
            throw new ValidationException("default_engine", "default_engine must be one of " + engineRegistry.names());
        }
        Map<String, String> models = ProjectRules.requireDefaultModels(req.defaultModels());
        Map<String, String> engines = PhaseEngines.require("default_engines",
                req.defaultEngines(), engineRegistry.names());
        Map<String, String> secrets = ProjectRules.requireSecrets(req.secrets());
        List<Check> checks = Checks.require("checks", req.checks());
        Budget budget = Budget.require("budget", req.budget());
        List<String> egress = ProjectRules.requireAgentEgress(req.agentEgress());
        String tokenHash = req.projectToken() == null || req.projectToken().isEmpty() ? null
                : ProjectTokens.hash(ProjectRules.requireToken(req.projectToken()));
        return lifecycle.created(new ProjectStore.NewProject(name, gitUrl, base, ci, engine, models, secrets, tokenHash,
                checks, budget, engines, egress));
    }

    /** Clone / refresh the workspace again (after a failure, or to pick up a moved origin). */
    public ActionResult<Project> setup(long projectId) {
        return lifecycle.setupRequested(projectId);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
