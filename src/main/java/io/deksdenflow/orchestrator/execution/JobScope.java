package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.RequestContext;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.git.GitClients;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.JobLifecycle;
import io.deksdenflow.orchestrator.protocol.StepLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.project.ProjectStore;
import java.nio.file.Path;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** What every job handler needs first: its ids in the MDC, a git client, and the skip event. */
@Component
class JobScope {
    private final ProjectStore projects;
    private final GitClients gitClients;
    private final StepLifecycle stepLifecycle;
    private final JobLifecycle jobLifecycle;

    JobScope(ProjectStore projects, GitClients gitClients, StepLifecycle stepLifecycle, JobLifecycle jobLifecycle) {
        this.projects = projects;
        this.gitClients = gitClients;
        this.stepLifecycle = stepLifecycle;
        this.jobLifecycle = jobLifecycle;
    }

    void enter(Job job) {
        RequestContext.put(RequestContext.JOB_ID, job.jobId());
        RequestContext.put(RequestContext.PROJECT_ID, job.projectId());
        RequestContext.put(RequestContext.PROTOCOL_RUN_ID, job.protocolRunId());
        RequestContext.put(RequestContext.STEP_RUN_ID, job.stepRunId());
        if (job.requestId() != null) MDC.put(RequestContext.REQUEST_ID, job.requestId());
    }

    GitClient git(Project project) {
        return gitClients.forProject(project.gitUrl(), project.secrets());
    }

    /**
     * Pushes the worktree's HEAD to the protocol's branch and remembers it as the branch's head: CI
     * results for older commits are superseded from then on.
     *
     * @return the pushed commit
     */
    String push(GitClient git, Path worktree, ProtocolRun run) {
        git.push(worktree, run.protocolName());
        String sha = git.headSha(worktree);
        stepLifecycle.pushed(run.id(), sha);
        return sha;
    }

    Project project(long id) {
        return projects.get(id);
    }

    /** The job found its target no longer in the expected state: record it and do nothing else. */
    void skip(Job job, String reason) {
        jobLifecycle.jobSkipped(job, reason);
    }
}
