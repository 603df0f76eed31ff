package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.git.GitUrlPolicy;
import io.deksdenflow.orchestrator.protocol.ActionResult;
import io.deksdenflow.orchestrator.protocol.Branches;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.project.ProjectStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/** Registers projects (secrets and token write-only) and enqueues their workspace set-up. */
@Service
public class ProjectService {
    private static final Set<String> ENGINES = Set.of("codex", "claude", "command");
    private final Transactions tx;
    private final ProjectStore projects;
    private final EventRecorder events;
    private final JobEnqueuer jobs;
    private final GitUrlPolicy gitUrls;

    public ProjectService(Transactions tx, ProjectStore projects, EventRecorder events, JobEnqueuer jobs, GitUrlPolicy gitUrls) {
        this.tx = tx;
        this.projects = projects;
        this.events = events;
        this.jobs = jobs;
        this.gitUrls = gitUrls;
    }

    public record CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                                Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                                List<Check.Spec> checks, Budget budget, Map<String, String> defaultEngines) {

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
        if (ci != null && !ci.equals("github") && !ci.equals("gitlab")) {
            throw new ValidationException("ci_provider", "ci_provider must be github, gitlab or null");
        }
        String engine = blankToNull(req.defaultEngine());
        if (engine != null && !ENGINES.contains(engine)) {
            throw new ValidationException("default_engine", "default_engine must be one of " + ENGINES);
        }
        Map<String, String> models = ProjectRules.requireDefaultModels(req.defaultModels());
        Map<String, String> engines = io.deksdenflow.orchestrator.common.PhaseEngines.require("default_engines",
                req.defaultEngines());
        Map<String, String> secrets = ProjectRules.requireSecrets(req.secrets());
        List<Check> checks = Checks.require("checks", req.checks());
        Budget budget = Budget.require("budget", req.budget());
        String tokenHash = req.projectToken() == null || req.projectToken().isEmpty() ? null
                : ProjectTokens.hash(ProjectRules.requireToken(req.projectToken()));
        return tx.inTx(() -> {
            Project p = projects.insert(new ProjectStore.NewProject(name, gitUrl, base, ci, engine, models, secrets, tokenHash,
                    checks, budget, engines));
            events.record(p.id(), null, null, "project_created", "project registered",
                    Map.of("secret_keys", secrets.keySet(), "base_branch", base));
            Job job = jobs.enqueue(JobType.PROJECT_SETUP_JOB, p.id(), null, null);
            return new ActionResult<>("project registered; workspace set-up enqueued", p, job);
        });
    }

    /** Clone / refresh the workspace again (after a failure, or to pick up a moved origin). */
    public ActionResult<Project> setup(long projectId) {
        return tx.inTx(() -> {
            Project p = projects.get(projectId);
            if (p.status() == ProjectStatus.SETTING_UP || p.status() == ProjectStatus.PENDING) {
                return new ActionResult<>("set-up already in progress", p, null);
            }
            p.status().next(ProjectStatus.Action.SETUP); // 409 when not allowed
            events.record(p.id(), null, null, "project_setup_requested", "workspace set-up requested", Map.of());
            Job job = jobs.enqueue(JobType.PROJECT_SETUP_JOB, p.id(), null, null);
            return new ActionResult<>("workspace set-up enqueued", p, job);
        });
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
