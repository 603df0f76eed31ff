package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.webhook.CiLoopStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** open_pr_job: push the branch, open (or find) the draft PR/MR, store its URL, number (MR iid) and the pushed head. */
@Component
class OpenPrHandler implements JobHandler {
    private final JobScope scope;
    private final Workspace workspace;
    private final ProtocolStore protocols;
    private final PullRequests pullRequests;
    private final Transactions tx;
    private final EventRecorder events;
    private final CiLoopStore ciLoop;

    OpenPrHandler(JobScope scope, Workspace workspace, ProtocolStore protocols, PullRequests pullRequests,
                  Transactions tx, EventRecorder events, CiLoopStore ciLoop) {
        this.scope = scope;
        this.workspace = workspace;
        this.protocols = protocols;
        this.pullRequests = pullRequests;
        this.tx = tx;
        this.events = events;
        this.ciLoop = ciLoop;
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
        PullRequests.Opened pr = pullRequests.open(project, run);
        String url = pr.url();
        tx.inTx(() -> {
            protocols.setPrUrl(run.id(), url);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("url", url);
            meta.put("provider", project.ciProvider());
            if (pr.number() != null) {
                // GitLab's job hooks of merge-request pipelines name only refs/merge-requests/<iid>/head
                ciLoop.setPrNumber(run.id(), pr.number());
                meta.put("number", pr.number());
            }
            events.record(project.id(), run.id(), null, "pr_opened", "draft " + (
                    "gitlab".equals(project.ciProvider()) ? "MR" : "PR") + " open: " + url, meta);
            return null;
        });
    }
}
