package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.StateChanges;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.store.ProtocolStore;
import io.deksdenflow.orchestrator.store.StepStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * execute_step_job: the exec engine works in the protocol's worktree with write access; whatever
 * it left uncommitted is committed with the step tag and pushed (a clean tree is normal); step →
 * needs_qa, and QA is enqueued when DEKSDENFLOW_AUTO_QA_AFTER_EXEC is on.
 */
@Component
class ExecuteStepHandler implements JobHandler {
    private final JobScope scope;
    private final Workspace workspace;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final Transactions tx;
    private final StateChanges changes;
    private final Prompts prompts;
    private final EngineCalls engineCalls;
    private final JobEnqueuer jobs;
    private final Settings settings;

    ExecuteStepHandler(JobScope scope, Workspace workspace, ProtocolStore protocols, StepStore steps, Transactions tx,
                       StateChanges changes, Prompts prompts, EngineCalls engineCalls, JobEnqueuer jobs, Settings settings) {
        this.scope = scope;
        this.workspace = workspace;
        this.protocols = protocols;
        this.steps = steps;
        this.tx = tx;
        this.changes = changes;
        this.prompts = prompts;
        this.engineCalls = engineCalls;
        this.jobs = jobs;
        this.settings = settings;
    }

    @Override
    public JobType type() {
        return JobType.EXECUTE_STEP_JOB;
    }

    @Override
    public void handle(JobContext ctx) {
        scope.enter(ctx.job());
        StepRun step = steps.get(ctx.job().stepRunId());
        ProtocolRun run = protocols.get(step.protocolRunId());
        if (run.status() != ProtocolStatus.RUNNING || step.status() != StepStatus.RUNNING) {
            scope.skip(ctx.job(), "protocol is " + run.status().api() + " and step is " + step.status().api());
            return;
        }
        Project project = scope.project(run.projectId());
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        scope.stepStarting(step.id(), git.headSha(worktree));
        String prompt = prompts.exec(run, step, worktree);
        EngineCalls.Outcome out = engineCalls.run(new EngineCalls.Call(project, run, step, "exec", worktree, prompt,
                false, null, ctx.job().jobId()), ctx::onCancel);
        if (ctx.cancelled()) return;
        git.commitAll(worktree, "chore(step): leftovers of " + step.stem() + " [protocol-" + run.number() + "/" + step.number() + "]");
        scope.push(git, worktree, run);
        String sha = git.headSha(worktree);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("engine", out.engine());
        meta.put("model", out.model());
        meta.put("tokens", out.result().tokensTotal());
        meta.put("tokens_estimated", !out.result().usageReported());
        meta.put("duration_ms", out.result().duration() == null ? null : out.result().duration().toMillis());
        meta.put("exit_code", out.result().exitCode());
        meta.put("commit", sha);
        meta.put("run_id", out.runId());
        if (out.costUsd() != null) meta.put("cost_usd", out.costUsd());
        meta.put("cost_source", out.costSource());
        tx.inTx(() -> {
            StepRun current = steps.get(step.id());
            ProtocolRun protocol = protocols.get(run.id());
            if (current.status() != StepStatus.RUNNING || protocol.status() != ProtocolStatus.RUNNING) return null;
            steps.markExecuted(step.id(), sha, protocols.nextExecSeq(run.id()));
            changes.step(protocol, current, StepAction.EXEC_DONE, "step_executed", "step " + step.stepName() + " executed",
                    null, meta);
            if (settings.isAutoQaAfterExec()) {
                jobs.enqueue(JobType.RUN_QUALITY_JOB, protocol.projectId(), protocol.id(), step.id());
            }
            return null;
        });
    }
}
