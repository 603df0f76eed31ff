package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.store.ProtocolStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.stereotype.Component;

/** open_pr_job: push the branch, open (or find) the draft PR/MR, store its URL. */
@Component
class OpenPrHandler implements JobHandler {
    private final JobScope scope;
    private final Workspace workspace;
    private final ProtocolStore protocols;
    private final PullRequests pullRequests;
    private final Transactions tx;
    private final EventRecorder events;

    OpenPrHandler(JobScope scope, Workspace workspace, ProtocolStore protocols, PullRequests pullRequests,
                  Transactions tx, EventRecorder events) {
        this.scope = scope;
        this.workspace = workspace;
        this.protocols = protocols;
        this.pullRequests = pullRequests;
        this.tx = tx;
        this.events = events;
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
        git.push(worktree, run.protocolName());
        String url = pullRequests.open(project, run);
        tx.inTx(() -> {
            protocols.setPrUrl(run.id(), url);
            events.record(project.id(), run.id(), null, "pr_opened", "draft " + (
                    "gitlab".equals(project.ciProvider()) ? "MR" : "PR") + " open: " + url,
                    Map.of("url", url, "provider", project.ciProvider()));
            return null;
        });
    }
}
