package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.protocol.AutomationSettings;
import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.CiLifecycle;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import io.deksdenflow.orchestrator.worker.RetryPolicy;
import io.deksdenflow.orchestrator.queue.Job;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * ci_fix_job: the step's exec engine, through {@link EngineCalls} (sandboxed, budgeted, recorded like any
 * agent run), fixes the triaged CI failure in the protocol's worktree; the service commits
 * {@code fix(ci): <job> [protocol-NNNN/NN]}, pushes, and records the new head: CI on it moves the step on.
 * Events {@code ci_fix_started} and {@code ci_fix_pushed} (sha, attempt); a run that changed nothing
 * blocks the protocol ({@code ci_fix_failed}).
 */
@Component
class CiFixHandler implements JobHandler<CiFixHandler.Fixing> {
    /** What a CI fix works on: the fix row, its protocol run and its step. */
    record Fixing(CiLoopStore.Fix row, ProtocolRun run, StepRun step) {}

    private final JobScope scope;
    private final Workspace workspace;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final CiLoopStore ciLoop;
    private final Prompts prompts;
    private final EngineCalls engineCalls;
    private final CiLifecycle lifecycle;
    private final AutomationSettings settings;

    CiFixHandler(JobScope scope, Workspace workspace, ProtocolStore protocols, StepStore steps, CiLoopStore ciLoop,
                 Prompts prompts, EngineCalls engineCalls, CiLifecycle lifecycle, AutomationSettings settings) {
        this.scope = scope;
        this.workspace = workspace;
        this.protocols = protocols;
        this.steps = steps;
        this.ciLoop = ciLoop;
        this.prompts = prompts;
        this.engineCalls = engineCalls;
        this.lifecycle = lifecycle;
        this.settings = settings;
    }

    @Override
    public JobType type() {
        return JobType.CI_FIX_JOB;
    }

    /**
     * A CI fix is due (a fixing row), its protocol is running, its step blocked by CI and no other step running
     * in the worktree; a fix row that cannot go ahead is skipped with the job ({@link CiLifecycle#ciFixSkipped}).
     */
    @Override
    public Precondition<Fixing> precondition(Job job) {
        Optional<CiLoopStore.Fix> fixing = ciLoop.oldest(job.protocolRunId(), CiLoopStore.FIXING);
        if (fixing.isEmpty()) return scope.skip(job, "no CI fix is due");
        CiLoopStore.Fix row = fixing.get();
        ProtocolRun run = protocols.get(row.protocolRunId());
        StepRun step = steps.get(row.stepRunId());
        boolean busy = steps.allOf(run.id()).stream().anyMatch(x -> x.status() == StepStatus.RUNNING);
        if (run.status() == ProtocolStatus.RUNNING && step.status() == StepStatus.BLOCKED && !busy) {
            return Precondition.ready(new Fixing(row, run, step));
        }
        String reason = "protocol is " + run.status().api() + " and step is " + step.status().api()
                + (busy ? "; another step is running in the worktree" : "");
        return Precondition.skip(reason, () -> lifecycle.ciFixSkipped(row.id(), job, reason));
    }

    @Override
    public RetryPolicy retryPolicy(RetryPolicy defaults) {
        return JobRetries.agentRun(defaults);
    }

    @Override
    public void handle(JobContext ctx, Fixing target) {
        CiLoopStore.Fix row = target.row();
        ProtocolRun run = target.run();
        StepRun step = target.step();
        Project project = scope.project(run.projectId());
        GitClient git = scope.git(project);
        Path worktree = Worktrees.ensure(git, workspace, project, run);
        String before = git.headSha(worktree);
        int max = settings.ciAutofixAttempts();
        String job = firstJob(row);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("attempt", row.attempt());
        meta.put("max_attempts", max);
        meta.put("failing_sha", row.headSha());
        meta.put("job", job);
        meta.put("ci_fix_id", row.id());
        lifecycle.ciFixStarted(row.id(), "auto-fix attempt " + row.attempt() + " of " + max + " for CI job " + job, meta);

        String diff = git.diffSince(worktree, ciLoop.stepStart(step.id()).orElse(null), run.baseBranch());
        String prompt = prompts.ciFix(run, step, worktree, failuresText(row.failures()), diff, row.attempt(), max);
        EngineCalls.Outcome out = engineCalls.run(new EngineCalls.Call(project, run, step, "exec", worktree, prompt,
                false, null, ctx.job().jobId()), ctx::onCancel);
        if (ctx.cancelled()) return;
        git.commitAll(worktree, "fix(ci): " + job + " [protocol-" + run.number() + "/" + step.number() + "]");
        String sha = git.headSha(worktree);
        meta.put("engine", out.engine());
        meta.put("model", out.model());
        meta.put("tokens", out.result().tokensTotal());
        meta.put("run_id", out.runId());
        if (sha.equals(before)) {
            lifecycle.ciFixFailed(row.id(), "auto-fix attempt " + row.attempt()
                    + " changed nothing; CI job " + job + " still fails", withStep(meta, step));
            return;
        }
        scope.push(git, worktree, run);
        meta.put("sha", sha);
        lifecycle.ciFixPushed(row.id(), sha, "auto-fix attempt " + row.attempt() + " pushed "
                + sha.substring(0, Math.min(12, sha.length())) + " to " + run.protocolName(), meta);
    }

    private static Map<String, Object> withStep(Map<String, Object> meta, StepRun step) {
        Map<String, Object> m = new LinkedHashMap<>(meta);
        m.put("step_run_id", step.id());
        return m;
    }

    /** The first failed job's name as one short line (it goes into a commit subject). */
    static String firstJob(CiLoopStore.Fix row) {
        Object job = row.failures().isEmpty() ? row.ciRef().get("check_name") : row.failures().get(0).get("job");
        String name = job == null ? "CI" : job.toString().replaceAll("[\\r\\n\\t]+", " ").strip();
        if (name.isEmpty()) name = "CI";
        return name.length() > 60 ? name.substring(0, 60) : name;
    }

    static String failuresText(List<Map<String, Object>> failures) {
        if (failures.isEmpty()) return "(the forge reported the failure without details)";
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> f : failures) {
            sb.append("### Job: ").append(f.get("job"));
            if (f.get("step") != null) sb.append(" — failed step: ").append(f.get("step"));
            sb.append('\n');
            if (f.get("url") != null) sb.append(f.get("url")).append('\n');
            sb.append("```text\n").append(f.getOrDefault("excerpt", "")).append("\n```\n\n");
        }
        return sb.toString();
    }
}
