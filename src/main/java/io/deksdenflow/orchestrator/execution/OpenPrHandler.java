package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.forge.ChangeRequest;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CiLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** open_pr_job: push the branch, open (or find) the draft PR/MR, store its URL, number (MR iid) and the pushed head. */
@Component
class OpenPrHandler implements JobHandler {
    private final JobScope scope;
    private final Workspace workspace;
    private final ProtocolStore protocols;
    private final PullRequests pullRequests;
    private final CiLifecycle lifecycle;

    OpenPrHandler(JobScope scope, Workspace workspace, ProtocolStore protocols, PullRequests pullRequests,
                  CiLifecycle lifecycle) {
        this.scope = scope;
        this.workspace = workspace;
        this.protocols = protocols;
        this.pullRequests = pullRequests;
        this.lifecycle = lifecycle;
    }

    @Override
    public JobType type() {
        return JobType.OPEN_PR_JOB;
    }

    @Override
    public void handle(JobContext ctx) {
        scope.enter(ctx.job());
        ProtocolRun run = protocols.get(ctx.job().protocolRunId());
        if (run.status() == ProtocolStatus.CANCELLED || run.status() == ProtocolStatus.PENDING) {
            scope.skip(ctx.job(), "protocol is " + run.status().api());
            return;
        }
        Project project = scope.project(run.projectId());
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        scope.push(git, worktree, run);
        ChangeRequest pr = pullRequests.open(project, run);
        lifecycle.prOpened(run.id(), pr.url(), pr.number(), project.ciProvider(),
                pullRequests.forgeOf(project).changeRequestShort());
    }
}
