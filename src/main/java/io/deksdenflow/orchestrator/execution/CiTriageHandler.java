package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolDriver;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.StateChanges;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepTransitions;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.webhook.CiLoopStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * ci_triage_job: the failure a webhook claimed ({@code ci_fixes} row, queued) is fetched from the forge
 * ({@link ForgeCi}); {@code ci_failed} carries {@code failures: [{job, step, url, excerpt}]}. Then, in one
 * transaction: a re-run claim asks the forge to re-run the failed jobs ({@code ci_rerun_requested});
 * while the step has fix attempts left the step is blocked and a {@code ci_fix_job} enqueued; otherwise
 * the protocol is blocked ({@code ci_fix_exhausted} naming the last failures, or plain {@code ci_failed}
 * when auto-fix is off).
 */
@Component
class CiTriageHandler implements JobHandler {
    private final JobScope scope;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final CiLoopStore ciLoop;
    private final ForgeCi forge;
    private final Transactions tx;
    private final EventRecorder events;
    private final StateChanges changes;
    private final ProtocolDriver driver;
    private final JobEnqueuer jobs;
    private final Settings settings;

    CiTriageHandler(JobScope scope, ProtocolStore protocols, StepStore steps, CiLoopStore ciLoop, ForgeCi forge,
                    Transactions tx, EventRecorder events, StateChanges changes, ProtocolDriver driver,
                    JobEnqueuer jobs, Settings settings) {
        this.scope = scope;
        this.protocols = protocols;
        this.steps = steps;
        this.ciLoop = ciLoop;
        this.forge = forge;
        this.tx = tx;
        this.events = events;
        this.changes = changes;
        this.driver = driver;
        this.jobs = jobs;
        this.settings = settings;
    }

    @Override
    public JobType type() {
        return JobType.CI_TRIAGE_JOB;
    }

    @Override
    public void handle(JobContext ctx) {
        scope.enter(ctx.job());
        long protocolId = ctx.job().protocolRunId();
        // a retry of this job resumes the failure an earlier attempt had taken
        CiLoopStore.Fix row = ctx.job().attempt() > 1 ? ciLoop.oldest(protocolId, CiLoopStore.TRIAGING).orElse(null) : null;
        // jobs carry only ids: take the oldest waiting failure (compare-and-set, so two jobs never share one)
        while (row == null) {
            Optional<CiLoopStore.Fix> queued = ciLoop.oldest(protocolId, CiLoopStore.QUEUED);
            if (queued.isEmpty()) {
                scope.skip(ctx.job(), "no CI failure waits for triage");
                return;
            }
            long id = queued.get().id();
            if (tx.inTx(() -> ciLoop.transition(id, CiLoopStore.QUEUED, CiLoopStore.TRIAGING))) row = ciLoop.get(id);
        }
        triage(row);
    }

    private void triage(CiLoopStore.Fix row) {
        long protocolId = row.protocolRunId();
        ProtocolRun run = protocols.get(protocolId);
        Project project = scope.project(run.projectId());
        List<ForgeCi.Failure> failures = forge.failures(project, row.ciRef());
        List<Map<String, Object>> failureMaps = failures.stream().map(ForgeCi.Failure::toMap).toList();
        String rerunProblem = null;
        boolean rerun = CiLoopStore.KIND_RERUN.equals(row.kind()) && run.status() == ProtocolStatus.RUNNING;
        if (rerun) {
            rerunProblem = forge.rerun(project, row.ciRef());
        }
        String problem = rerunProblem;
        tx.inTx(() -> {
            decide(row, failureMaps, rerun, problem);
            return null;
        });
    }

    private void decide(CiLoopStore.Fix row, List<Map<String, Object>> failures, boolean rerun, String rerunProblem) {
        ciLoop.setFailures(row.id(), failures);
        ProtocolRun p = protocols.get(row.protocolRunId());
        StepRun step = row.stepRunId() == null ? null : steps.get(row.stepRunId());
        Map<String, Object> meta = new LinkedHashMap<>(row.ciRef());
        meta.put("failures", failures);
        meta.put("ci_fix_id", row.id());
        String jobsText = jobNames(failures, row);
        String message = "CI " + row.ciRef().getOrDefault("provider", "") + " failed on "
                + shortSha(row.headSha()) + ": " + jobsText;
        Long stepId = step == null ? null : step.id();

        if (p.status().terminal() || p.status() != ProtocolStatus.RUNNING || step == null
                || !StepTransitions.allows(step.status(), StepAction.BLOCK)) {
            // the protocol moved on (paused, blocked, cancelled, completed) while the job waited: report only
            ciLoop.transition(row.id(), CiLoopStore.TRIAGING, CiLoopStore.SKIPPED);
            meta.put("protocol_status", p.status().api());
            events.record(p.projectId(), p.id(), stepId, "ci_failed", message + "; protocol is " + p.status().api()
                    + ", nothing started", meta);
            return;
        }
        int max = settings.getCiAutofixAttempts();
        if (rerun && rerunProblem == null) {
            ciLoop.transition(row.id(), CiLoopStore.TRIAGING, CiLoopStore.RERUN_REQUESTED);
            meta.put("next", "rerun");
            events.record(p.projectId(), p.id(), stepId, "ci_failed", message + "; re-running the failed jobs once", meta);
            events.record(p.projectId(), p.id(), stepId, "ci_rerun_requested",
                    "re-run of the failed jobs of " + shortSha(row.headSha()) + " requested", Map.of(
                            "head_sha", row.headSha(), "run_id", String.valueOf(row.ciRef().get("run_id")),
                            "provider", String.valueOf(row.ciRef().get("provider"))));
            return;
        }
        if (rerun) {
            meta.put("rerun_refused", rerunProblem);
        }
        int used = ciLoop.fixesStarted(step.id());
        // an agent must not fix in the worktree while another step's agent works there
        boolean busy = steps.allOf(p.id()).stream().anyMatch(x -> x.status() == StepStatus.RUNNING);
        if (busy) meta.put("not_fixed", "another step is running in the worktree");
        if (used < max && !busy) {
            ciLoop.startFix(row.id(), CiLoopStore.TRIAGING, used + 1);
            meta.put("next", "fix");
            meta.put("attempt", used + 1);
            meta.put("max_attempts", max);
            String text = message + "; auto-fix attempt " + (used + 1) + " of " + max;
            events.record(p.projectId(), p.id(), stepId, "ci_failed", text, meta);
            changes.step(p, step, StepAction.BLOCK, "step_blocked", text, text, Map.of("ci_fix_id", row.id()));
            jobs.enqueue(JobType.CI_FIX_JOB, p.projectId(), p.id(), step.id());
            return;
        }
        ciLoop.transition(row.id(), CiLoopStore.TRIAGING, CiLoopStore.BLOCKED);
        changes.step(p, step, StepAction.BLOCK, "step_blocked", message, message, Map.of("ci_fix_id", row.id()));
        Map<String, Object> blockMeta = new LinkedHashMap<>(meta);
        blockMeta.put("step_run_id", step.id());
        if (max == 0 || busy) {
            blockMeta.put("next", "block");
            driver.block(p, "ci_failed", message, blockMeta);
            return;
        }
        meta.put("next", "exhausted");
        events.record(p.projectId(), p.id(), stepId, "ci_failed", message, meta);
        blockMeta.put("attempts", used);
        blockMeta.put("max_attempts", max);
        driver.block(p, "ci_fix_exhausted", "CI still fails after " + used + " auto-fix attempt"
                + (used == 1 ? "" : "s") + ": " + jobsText, blockMeta);
    }

    private static String jobNames(List<Map<String, Object>> failures, CiLoopStore.Fix row) {
        String names = failures.stream().map(f -> {
            Object job = f.get("job");
            Object step = f.get("step");
            return (job == null ? "?" : job) + (step == null ? "" : " (" + step + ")");
        }).distinct().collect(Collectors.joining(", "));
        if (!names.isEmpty()) return names;
        Object check = row.ciRef().get("check_name");
        return check == null ? "CI" : check.toString();
    }

    static String shortSha(String sha) {
        return sha == null ? "?" : sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
