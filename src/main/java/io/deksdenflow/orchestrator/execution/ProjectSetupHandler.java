package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.ConcurrentUpdateException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** project_setup_job: clone (never work in place) and fetch the base branch; project → ready. */
@Component
class ProjectSetupHandler implements JobHandler {
    private static final Logger log = LoggerFactory.getLogger(ProjectSetupHandler.class);
    private final JobScope scope;
    private final Workspace workspace;
    private final ProjectStore projects;
    private final Transactions tx;
    private final EventRecorder events;

    ProjectSetupHandler(JobScope scope, Workspace workspace, ProjectStore projects, Transactions tx, EventRecorder events) {
        this.scope = scope;
        this.workspace = workspace;
        this.projects = projects;
        this.tx = tx;
        this.events = events;
    }

    @Override
    public JobType type() {
        return JobType.PROJECT_SETUP_JOB;
    }

    @Override
    public void handle(JobContext ctx) {
        scope.enter(ctx.job());
        Project p = tx.inTx(() -> {
            Project current = projects.get(ctx.job().projectId());
            if (current.status() == ProjectStatus.SETTING_UP) return current;
            ProjectStatus to = current.status().next(ProjectStatus.Action.SETUP);
            if (!projects.transition(current, to, null, null)) throw new ConcurrentUpdateException("project " + current.id());
            events.record(current.id(), null, null, "project_setup_started", "cloning " + current.gitUrl(), Map.of());
            return projects.get(current.id());
        });
        Path repo = ensureClone(scope.git(p), p, workspace.repo(p.id()));
        tx.inTx(() -> {
            Project current = projects.get(p.id());
            ProjectStatus to = current.status().next(ProjectStatus.Action.SETUP_DONE);
            if (!projects.transition(current, to, repo.toString(), null)) throw new ConcurrentUpdateException("project " + p.id());
            // the path stays on the server: API clients and event consumers never see it
            log.debug("project {} workspace ready at {}", p.id(), repo);
            events.record(p.id(), null, null, "project_ready", "workspace ready",
                    Map.of("base_branch", p.baseBranch()));
            return null;
        });
    }

    /** Clones into the project's repo dir (or reuses an existing clone) and fetches the base branch. */
    static Path ensureClone(GitClient git, Project p, Path repo) {
        if (!Files.isDirectory(repo.resolve(".git"))) {
            git.clone(p.gitUrl(), repo);
        }
        git.configureIdentity(repo);
        git.fetch(repo, p.baseBranch());
        return repo;
    }
}
