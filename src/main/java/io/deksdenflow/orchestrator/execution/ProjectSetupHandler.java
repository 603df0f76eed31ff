package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectLifecycle;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import io.deksdenflow.orchestrator.queue.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** project_setup_job: clone (never work in place) and fetch the base branch; project → ready. */
@Component
class ProjectSetupHandler implements JobHandler<Project> {
    private static final Logger log = LoggerFactory.getLogger(ProjectSetupHandler.class);
    private final JobScope scope;
    private final Workspace workspace;
    private final ProjectLifecycle lifecycle;

    ProjectSetupHandler(JobScope scope, Workspace workspace, ProjectLifecycle lifecycle) {
        this.scope = scope;
        this.workspace = workspace;
        this.lifecycle = lifecycle;
    }

    @Override
    public JobType type() {
        return JobType.PROJECT_SETUP_JOB;
    }

    /**
     * The project exists; no status to check here: the setup's start is a transition of the project's table
     * ({@link ProjectLifecycle#setupStarted}), which refuses (and so fails the job) where a set-up cannot start.
     */
    @Override
    public Precondition<Project> precondition(Job job) {
        return Precondition.ready(scope.project(job.projectId()));
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return JobRetries.git(defaults);
    }

    @Override
    public void handle(JobContext ctx, Project project) {
        Project p = lifecycle.setupStarted(project.id());
        Path repo;
        ReentrantLock lock = workspace.repoLock(p.id());
        lock.lock();
        try {
            repo = ensureClone(scope.git(p), p, workspace.repo(p.id()));
        } finally {
            lock.unlock();
        }
        log.debug("project {} workspace ready at {}", p.id(), repo);
        lifecycle.setupReady(p.id(), repo.toString());
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
