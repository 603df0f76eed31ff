package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.forge.ChangeRequest;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.git.GitMerges;
import io.deksdenflow.orchestrator.project.SyncMode;
import io.deksdenflow.orchestrator.protocol.BaseSyncLifecycle;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CiLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import io.deksdenflow.orchestrator.queue.Job;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * open_pr_job: push the branch, open (or find) the draft PR/MR, store its URL, number (MR iid) and the pushed head.
 * Unless the project's {@code sync} is off, a branch that lacks its base's newest commits is synced first: the job asks
 * for a sync_base_job ({@link BaseSyncLifecycle#requested}) and ends; the sync queues this job again when it is done.
 */
@Component
class OpenPrHandler implements JobHandler<ProtocolRun> {
    private final JobScope scope;
    private final Workspace workspace;
    private final PullRequests pullRequests;
    private final CiLifecycle lifecycle;
    private final BaseSyncLifecycle syncs;

    OpenPrHandler(JobScope scope, Workspace workspace, PullRequests pullRequests,
                  CiLifecycle lifecycle, BaseSyncLifecycle syncs) {
        this.syncs = syncs;
        this.scope = scope;
        this.workspace = workspace;
        this.pullRequests = pullRequests;
        this.lifecycle = lifecycle;
    }

    @Override
    public JobType type() {
        return JobType.OPEN_PR_JOB;
    }

    /** The protocol has started and is not cancelled. */
    @Override
    public Precondition<ProtocolRun> precondition(Job job) {
        return scope.protocol(job, run -> run.status() != ProtocolStatus.CANCELLED && run.status() != ProtocolStatus.PENDING,
                run -> "protocol is " + run.status().api());
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return JobRetries.forgeCall(defaults);
    }

    @Override
    public void handle(JobContext ctx, ProtocolRun run) {
        Project project = scope.project(run.projectId());
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        if (!SyncMode.OFF.equals(SyncMode.effective(project.sync()))) {
            git.fetch(worktree, run.baseBranch());
            if (!GitMerges.of(git).contains(worktree, "origin/" + run.baseBranch())) {
                syncs.requested(run.id(), "open_pr", true);
                return;
            }
        }
        scope.push(git, worktree, run);
        ChangeRequest pr = pullRequests.open(project, run);
        lifecycle.prOpened(run.id(), pr.url(), pr.number(), project.ciProvider(),
                pullRequests.forgeOf(project).changeRequestShort());
    }
}
