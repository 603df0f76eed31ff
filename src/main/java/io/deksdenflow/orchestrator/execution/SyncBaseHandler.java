package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.NotBefore;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.git.GitMerges;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.SyncMode;
import io.deksdenflow.orchestrator.protocol.BaseSyncLifecycle;
import io.deksdenflow.orchestrator.protocol.BaseSyncStore;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * sync_base_job: brings the protocol's branch up to date with {@code origin/<base>} by the project's {@code sync}
 * setting — a merge commit ({@code merge}) or a rebase ({@code rebase}, pushed with a lease on the head it
 * replaces) — and pushes it ({@code base_synced}); a conflict is aborted at once and handed to
 * {@link BaseSyncLifecycle#conflicted} ({@code base_conflict}). The worktree is never left mid-merge: every way out
 * aborts what is in progress.
 */
@Component
class SyncBaseHandler implements JobHandler<ProtocolRun> {
    /** How long a sync waits while a step runs in the worktree. */
    static final long BUSY_WAIT_MS = 15_000;

    private final JobScope scope;
    private final Workspace workspace;
    private final StepStore steps;
    private final ProtocolStore protocols;
    private final BaseSyncLifecycle lifecycle;

    SyncBaseHandler(JobScope scope, Workspace workspace, StepStore steps, ProtocolStore protocols,
                    BaseSyncLifecycle lifecycle) {
        this.scope = scope;
        this.workspace = workspace;
        this.steps = steps;
        this.protocols = protocols;
        this.lifecycle = lifecycle;
    }

    @Override
    public JobType type() {
        return JobType.SYNC_BASE_JOB;
    }

    /** The protocol's sync has the project's turn, and the protocol is neither cancelled nor failed. */
    @Override
    public Precondition<ProtocolRun> precondition(Job job) {
        return due(job, BaseSyncStore.SYNCING, protocols, lifecycle, scope);
    }

    static Precondition<ProtocolRun> due(Job job, String state, ProtocolStore protocols, BaseSyncLifecycle lifecycle,
                                         JobScope scope) {
        Optional<BaseSyncStore.Sync> sync = lifecycle.find(job.protocolRunId());
        if (sync.isEmpty() || !state.equals(sync.get().state())) return scope.skip(job, "no base sync of this protocol is " + state);
        ProtocolRun run = protocols.get(job.protocolRunId());
        if (run.status() == ProtocolStatus.CANCELLED || run.status() == ProtocolStatus.FAILED) {
            String reason = "protocol is " + run.status().api();
            return Precondition.skip(reason, () -> lifecycle.skipped(job, reason));
        }
        return Precondition.ready(run);
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return JobRetries.git(defaults);
    }

    @Override
    public void handle(JobContext ctx, ProtocolRun run) {
        waitForSteps(steps, run);
        BaseSyncStore.Sync sync = lifecycle.find(run.id()).orElseThrow();
        Project project = scope.project(run.projectId());
        String mode = SyncMode.effective(project.sync());
        if (SyncMode.OFF.equals(mode)) {
            if (sync.openPr()) lifecycle.upToDate(run.id()); // the PR opens as it is
            else lifecycle.skipped(ctx.job(), "the project's sync is off");
            return;
        }
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        GitMerges merges = GitMerges.of(git);
        Optional<String> remote = fromOrigin(git, merges, worktree, run.protocolName());
        if (remote.isEmpty() && !sync.openPr()) {
            lifecycle.skipped(ctx.job(), "branch " + run.protocolName() + " is not on origin");
            return;
        }
        String base = "origin/" + run.baseBranch();
        String from = remote.orElse(git.headSha(worktree));
        Map<String, Object> meta = meta(run, mode, merges.sha(worktree, base).orElse(null));
        if (merges.contains(worktree, base)) {
            // nothing to take in; an earlier attempt's merge that was never pushed goes now
            if (remote.isEmpty()) lifecycle.upToDate(run.id());
            else pushIfAhead(git, merges, worktree, run, remote, from, meta);
            return;
        }
        try {
            GitMerges.Outcome o = SyncMode.REBASE.equals(mode) ? merges.rebase(worktree, run.baseBranch())
                    : merges.merge(worktree, run.baseBranch(), message(run));
            if (!o.clean()) {
                lifecycle.conflicted(run.id(), o.conflicts(), meta);
                return;
            }
            pushIfAhead(git, merges, worktree, run, remote, from, meta);
        } finally {
            merges.abort(worktree);
        }
    }

    /**
     * Origin's branch is the truth (every job pushes what it commits): a merge a dead worker left is aborted,
     * origin (the base included) fetched, and a worktree behind origin's branch (someone pushed) or apart from it
     * (an earlier attempt's sync that was never pushed) starts from origin's head, so that a rebase is always of
     * origin's head and its lease is that head. Returns that head; empty when origin has no such branch.
     */
    static Optional<String> fromOrigin(GitClient git, GitMerges merges, Path worktree, String branch) {
        merges.abort(worktree); // a worker that died mid-merge left it so
        git.fetch(worktree, null);
        Optional<String> remote = merges.sha(worktree, "origin/" + branch);
        if (remote.isPresent() && !merges.contains(worktree, remote.get())) git.resetHard(worktree, remote.get());
        return remote;
    }

    /** Pushes HEAD when origin's branch lacks it (with a lease when HEAD no longer holds origin's head): synced. */
    private void pushIfAhead(GitClient git, GitMerges merges, Path worktree, ProtocolRun run, Optional<String> remote,
                             String from, Map<String, Object> meta) {
        String head = git.headSha(worktree);
        if (remote.isPresent() && remote.get().equals(head)) {
            lifecycle.upToDate(run.id());
            return;
        }
        String lease = remote.isPresent() && !merges.contains(worktree, remote.get()) ? remote.get() : null;
        scope.push(git, worktree, run, lease);
        if (lease != null) meta.put("rewritten", true);
        lifecycle.synced(run.id(), from, head, meta);
    }

    static void waitForSteps(StepStore steps, ProtocolRun run) {
        if (steps.allOf(run.id()).stream().anyMatch(s -> s.status() == StepStatus.RUNNING)) {
            throw new NotBefore(Instant.ofEpochMilli(Clock.now() + BUSY_WAIT_MS), "a step runs in the worktree");
        }
    }

    static Map<String, Object> meta(ProtocolRun run, String mode, String baseSha) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("base_branch", run.baseBranch());
        meta.put("base_sha", baseSha);
        meta.put("mode", mode);
        return meta;
    }

    static String message(ProtocolRun run) {
        return "chore(sync): merge " + run.baseBranch() + " into " + run.protocolName() + " [protocol-" + run.number() + "]";
    }
}
