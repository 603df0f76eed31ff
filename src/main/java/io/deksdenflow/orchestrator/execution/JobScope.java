package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.RequestContext;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.git.GitClients;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.webhook.CiLoopStore;
import io.deksdenflow.orchestrator.project.ProjectStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** What every job handler needs first: its ids in the MDC, a git client, and the skip event. */
@Component
public class JobScope {
    private final Transactions tx;
    private final EventRecorder events;
    private final ProjectStore projects;
    private final GitClients gitClients;
    private final CiLoopStore ciLoop;

    public JobScope(Transactions tx, EventRecorder events, ProjectStore projects, GitClients gitClients,
                    CiLoopStore ciLoop) {
        this.tx = tx;
        this.events = events;
        this.projects = projects;
        this.gitClients = gitClients;
        this.ciLoop = ciLoop;
    }

    public void enter(Job job) {
        RequestContext.put(RequestContext.JOB_ID, job.jobId());
        RequestContext.put(RequestContext.PROJECT_ID, job.projectId());
        RequestContext.put(RequestContext.PROTOCOL_RUN_ID, job.protocolRunId());
        RequestContext.put(RequestContext.STEP_RUN_ID, job.stepRunId());
        if (job.requestId() != null) MDC.put(RequestContext.REQUEST_ID, job.requestId());
    }

    public GitClient git(Project project) {
        return gitClients.forProject(project.gitUrl(), project.secrets());
    }

    /**
     * Pushes the worktree's HEAD to the protocol's branch and remembers it as the branch's head: CI
     * results for older commits are superseded from then on.
     *
     * @return the pushed commit
     */
    public String push(GitClient git, Path worktree, ProtocolRun run) {
        git.push(worktree, run.protocolName());
        String sha = git.headSha(worktree);
        tx.inTx(() -> {
            ciLoop.setHead(run.id(), sha);
            return null;
        });
        return sha;
    }

    /** Remembers where a step's execution starts (the worktree's HEAD): a CI fix's diff of the step starts there. */
    public void stepStarting(long stepRunId, String sha) {
        tx.inTx(() -> {
            ciLoop.setStepStart(stepRunId, sha);
            return null;
        });
    }

    public Project project(long id) {
        return projects.get(id);
    }

    /** The job found its target no longer in the expected state: record it and do nothing else. */
    public void skip(Job job, String reason) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("job_type", job.type().api());
        meta.put("reason", reason);
        tx.inTx(() -> events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_skipped",
                job.type().api() + " skipped: " + reason, meta));
    }
}
