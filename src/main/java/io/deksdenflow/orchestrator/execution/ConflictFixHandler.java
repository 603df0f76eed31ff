package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.git.GitMerges;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.SyncMode;
import io.deksdenflow.orchestrator.protocol.BaseSyncLifecycle;
import io.deksdenflow.orchestrator.protocol.BaseSyncStore;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * conflict_fix_job: the merge of {@code origin/<base>} is started again to put the conflict markers in the
 * worktree, and the step's exec engine, through {@link EngineCalls} (sandboxed, budgeted, recorded), resolves them
 * with the conflicted files and both sides' commit subjects in its prompt. The service refuses a resolution that
 * leaves a marker (or a file it cannot read without a link), commits the merge, runs the project's checks
 * ({@link QaGate#checkFailures}) and pushes ({@code base_synced} with {@code resolved_files}); anything else is
 * {@code conflict_fix_failed} with the merge aborted, nothing pushed. The project's {@code sync: rebase} resolves
 * by a merge too: a rebase's conflicts come one commit at a time, a merge's once.
 */
@Component
class ConflictFixHandler implements JobHandler<ProtocolRun> {
    private final JobScope scope;
    private final Workspace workspace;
    private final StepStore steps;
    private final ProtocolStore protocols;
    private final BaseSyncLifecycle lifecycle;
    private final Prompts prompts;
    private final EngineCalls engineCalls;
    private final QaGate gate;

    ConflictFixHandler(JobScope scope, Workspace workspace, StepStore steps, ProtocolStore protocols,
                       BaseSyncLifecycle lifecycle, Prompts prompts, EngineCalls engineCalls, QaGate gate) {
        this.scope = scope;
        this.workspace = workspace;
        this.steps = steps;
        this.protocols = protocols;
        this.lifecycle = lifecycle;
        this.prompts = prompts;
        this.engineCalls = engineCalls;
        this.gate = gate;
    }

    @Override
    public JobType type() {
        return JobType.CONFLICT_FIX_JOB;
    }

    /** The protocol's conflict waits for a fix turn (its project's turn), and it is neither cancelled nor failed. */
    @Override
    public Precondition<ProtocolRun> precondition(Job job) {
        return SyncBaseHandler.due(job, BaseSyncStore.FIXING, protocols, lifecycle, scope);
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return JobRetries.agentRun(defaults);
    }

    @Override
    public void handle(JobContext ctx, ProtocolRun run) {
        SyncBaseHandler.waitForSteps(steps, run);
        BaseSyncStore.Sync sync = lifecycle.find(run.id()).orElseThrow();
        Project project = scope.project(run.projectId());
        StepRun step = steps.lastExecuted(run.id()).or(() -> steps.allOf(run.id()).stream().reduce((a, b) -> b))
                .orElseThrow(() -> new JobFailure("protocol " + run.protocolName() + " has no step to resolve a conflict with"));
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        GitMerges merges = GitMerges.of(git);
        SyncBaseHandler.fromOrigin(git, merges, worktree, run.protocolName());
        String from = git.headSha(worktree);
        String base = "origin/" + run.baseBranch();
        Map<String, Object> meta = SyncBaseHandler.meta(run, SyncMode.effective(project.sync()), merges.sha(worktree, base).orElse(null));
        meta.put("attempt", sync.attempts());
        if (merges.contains(worktree, base)) { // resolved meanwhile (a person pushed a merge)
            lifecycle.upToDate(run.id());
            return;
        }
        GitMerges.Sides sides = merges.sides(worktree, run.baseBranch());
        boolean pushed = false;
        try {
            GitMerges.Outcome o = merges.startMerge(worktree, run.baseBranch(), SyncBaseHandler.message(run));
            if (o.clean()) { // the base moved on and merges cleanly now
                pushed = push(git, worktree, run, from, o.head(), List.of(), meta);
                return;
            }
            List<String> files = o.conflicts();
            lifecycle.fixStarted(run.id(), files, meta);
            String prompt = prompts.conflictFix(run, step, worktree, files, sides.ours(), sides.theirs(), sync.attempts(),
                    lifecycle.maxAttempts());
            EngineCalls.Outcome out = engineCalls.run(new EngineCalls.Call(project, run, step, "exec", worktree, prompt,
                    false, null, ctx.job().jobId()), ctx::onCancel);
            if (ctx.cancelled()) {
                lifecycle.abandoned(run.id());
                return;
            }
            meta.put("engine", out.engine());
            meta.put("model", out.model());
            meta.put("run_id", out.runId());
            meta.put("tokens", out.result().tokensTotal());
            boolean merging = merges.merging(worktree);
            List<String> left = merging ? merges.unresolved(worktree, files) : files;
            if (!left.isEmpty()) {
                merges.abort(worktree);
                git.resetHard(worktree, from); // back to the branch's head, whatever the agent left
                lifecycle.fixFailed(run.id(), files, merging ? "conflict markers are left in " + String.join(", ", left)
                        : "the merge in progress was ended instead of resolved", meta);
                return;
            }
            String to = merges.commitMerge(worktree, SyncBaseHandler.message(run) + "\n\nResolved conflicts in: "
                    + String.join(", ", files));
            List<String> failed = gate.checkFailures(ctx, project, run, step, worktree);
            if (failed == null) { // cancelled
                git.resetHard(worktree, from);
                lifecycle.abandoned(run.id());
                return;
            }
            if (!failed.isEmpty()) {
                git.resetHard(worktree, from); // nothing unchecked reaches the branch
                lifecycle.fixFailed(run.id(), files, "the project's checks failed on the resolution: " + String.join("; ", failed), meta);
                return;
            }
            pushed = push(git, worktree, run, from, to, files, meta);
        } finally {
            // every way out but a push (an exception mid-merge or before the push included): back to the branch's
            // head, nothing half done and nothing unchecked left for a retry to push
            if (!pushed) {
                merges.abort(worktree);
                git.resetHard(worktree, from);
            }
        }
    }

    private boolean push(GitClient git, Path worktree, ProtocolRun run, String from, String to, List<String> files,
                         Map<String, Object> meta) {
        scope.push(git, worktree, run);
        lifecycle.resolved(run.id(), from, to, files, meta);
        return true;
    }
}
