package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.queue.JobType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What CI results and triaged CI failures do to a protocol run and its steps. Runs inside the
 * transactions of {@link CiLifecycle#ciResult} and {@link CiLifecycle#ciTriaged}; status
 * changes go through {@link ProtocolMoves}.
 */
@Component
class CiDecisions {
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final CiLoopStore ciLoop;
    private final ProjectStore projects;
    private final EventRecorder events;
    private final JobEnqueuer jobs;
    private final AutomationSettings settings;
    private final ProtocolMoves moves;

    CiDecisions(ProtocolStore protocols, StepStore steps, CiLoopStore ciLoop, ProjectStore projects, EventRecorder events,
                JobEnqueuer jobs, AutomationSettings settings, ProtocolMoves moves) {
        this.protocols = protocols;
        this.steps = steps;
        this.ciLoop = ciLoop;
        this.projects = projects;
        this.events = events;
        this.jobs = jobs;
        this.settings = settings;
        this.moves = moves;
    }

    /** What {@code s} does to {@code p} (see {@link CiLifecycle#ciResult}). */
    CiResult.Applied apply(ProtocolRun p, CiResult s) {
        Optional<StepRun> byCommit = steps.byCommit(p.id(), s.headSha());
        StepRun step = byCommit.or(() -> steps.lastExecuted(p.id())).orElse(null);
        Map<String, Object> meta = new LinkedHashMap<>(s.metadata());
        meta.put("step_selected_by", byCommit.isPresent() ? "head_sha" : step != null ? "last_executed" : "none");
        Long stepId = step == null ? null : step.id();
        String action;
        String status = p.status().api();
        if (p.status().terminal()) {
            meta.put("ignored", true);
            meta.put("protocol_status", p.status().api());
            events.record(p.projectId(), p.id(), stepId, "ci_ignored_terminal",
                    "CI " + s.description() + " ignored: protocol is " + p.status().api(), meta);
            action = "ignored_terminal";
        } else if (s.prState() != null) {
            CiResult.Applied pr = pullRequest(p, stepId, s, meta);
            return pr;
        } else if (superseded(p, s)) {
            // a result for a commit that is no longer the branch's head: history, not a verdict
            meta.put("superseded", true);
            meta.put("branch_head", ciLoop.head(p.id()).orElse(null));
            events.record(p.projectId(), p.id(), stepId, "ci_superseded", "CI " + s.description() + " "
                    + s.status() + " on " + shortSha(s.headSha()) + ", no longer the head of " + p.protocolName(), meta);
            action = "superseded";
        } else if (s.isSuccess()) {
            return ciSuccess(p, step, s, meta);
        } else if (s.isFailure()) {
            return ciFailure(p, step, s, meta);
        } else if (s.isInconclusive()) {
            String type = switch (s.status()) {
                case CiResult.CANCELLED -> "ci_cancelled";
                case CiResult.SKIPPED -> "ci_skipped";
                default -> "ci_action_required";
            };
            String what = switch (s.status()) {
                case CiResult.CANCELLED -> " cancelled";
                case CiResult.SKIPPED -> " skipped";
                default -> " waits for approval (action required)";
            };
            events.record(p.projectId(), p.id(), stepId, type, "CI " + s.description() + what, meta);
            action = "recorded";
        } else {
            events.record(p.projectId(), p.id(), stepId, "ci_running", "CI " + s.description() + " running", meta);
            action = "recorded";
        }
        return new CiResult.Applied(p.id(), stepId, action, status);
    }

    private CiResult.Applied pullRequest(ProtocolRun p, Long stepId, CiResult s, Map<String, Object> meta) {
        String what = s.changeRequestNoun()
                + (s.title() == null ? "" : " '" + s.title() + "'");
        if (s.isMerged()) {
            if (ProtocolTransitions.allows(p.status(), ProtocolAction.COMPLETE)) {
                ProtocolRun done = moves.protocol(p, ProtocolAction.COMPLETE, "pr_merged", what + " merged", meta);
                return new CiResult.Applied(p.id(), stepId, "completed", done.status().api());
            }
            meta.put("ignored", true);
            meta.put("protocol_status", p.status().api());
            events.record(p.projectId(), p.id(), stepId, "pr_merged", what + " merged; protocol stays " + p.status().api(), meta);
            return new CiResult.Applied(p.id(), stepId, "recorded", p.status().api());
        }
        if (CiResult.PR_UPDATED.equals(s.prState())) {
            // someone pushed to the branch: CI results for older commits are superseded from now on
            if (s.headSha() != null) ciLoop.setHead(p.id(), s.headSha());
            events.record(p.projectId(), p.id(), stepId, "pr_updated", what + " updated: head is now "
                    + shortSha(s.headSha()), meta);
            return new CiResult.Applied(p.id(), stepId, "recorded", p.status().api());
        }
        String type = CiResult.PR_CLOSED.equals(s.prState()) ? "pr_closed" : "pr_opened";
        events.record(p.projectId(), p.id(), stepId, type, what + " " + s.prState(), meta);
        return new CiResult.Applied(p.id(), stepId, "recorded", p.status().api());
    }

    private CiResult.Applied ciSuccess(ProtocolRun p, StepRun step, CiResult s, Map<String, Object> meta) {
        meta.put("auto_qa", settings.autoQaOnCi());
        String message = "CI " + s.description() + " passed";
        Long stepId = step == null ? null : step.id();
        if (settings.autoQaOnCi() && step != null && StepTransitions.allows(step.status(), StepAction.CI_PASSED)
                && StepTransitions.protocolAllowsStepWork(p.status())) {
            StepRun moved = moves.step(p, step, StepAction.CI_PASSED, "ci_passed",
                    message + "; QA of " + step.stepName() + " queued", null, meta);
            jobs.enqueue(JobType.RUN_QUALITY_JOB, p.projectId(), p.id(), moved.id());
            return new CiResult.Applied(p.id(), stepId, "qa_enqueued", p.status().api());
        }
        events.record(p.projectId(), p.id(), stepId, "ci_passed", message, meta);
        return new CiResult.Applied(p.id(), stepId, "recorded", p.status().api());
    }

    /** True when the branch's head is known and the result is about another commit. */
    private boolean superseded(ProtocolRun p, CiResult s) {
        if (s.headSha() == null || s.headSha().isBlank()) return false;
        Optional<String> head = ciLoop.head(p.id());
        return head.isPresent() && !head.get().equalsIgnoreCase(s.headSha().trim());
    }

    private CiResult.Applied ciFailure(ProtocolRun p, StepRun step, CiResult s, Map<String, Object> meta) {
        String message = "CI " + s.description() + " failed" + (s.conclusion() == null ? "" : " (" + s.conclusion() + ")");
        Long stepId = step == null ? null : step.id();
        if (triageable(p, step, s)) {
            return triage(p, step, s, meta, message);
        }
        if (step != null && StepTransitions.allows(step.status(), StepAction.BLOCK)) {
            moves.step(p, step, StepAction.BLOCK, "step_blocked", message, message, meta);
        }
        Map<String, Object> protocolMeta = new LinkedHashMap<>(meta);
        if (step != null) protocolMeta.put("step_run_id", step.id());
        if (ProtocolTransitions.allows(p.status(), ProtocolAction.BLOCK)) {
            ProtocolRun blocked = moves.block(p, "ci_failed", message, protocolMeta);
            return new CiResult.Applied(p.id(), stepId, "blocked", blocked.status().api());
        }
        protocolMeta.put("ignored", true);
        protocolMeta.put("protocol_status", p.status().api());
        events.record(p.projectId(), p.id(), stepId, "ci_failed", message + "; protocol stays " + p.status().api(), protocolMeta);
        return new CiResult.Applied(p.id(), stepId, "recorded", p.status().api());
    }

    /**
     * A failure the service can look into: a result about a commit, for a step of a running protocol
     * where no step's agent is at work, from the project's own forge, with that forge's token.
     */
    private boolean triageable(ProtocolRun p, StepRun step, CiResult s) {
        if (step == null || p.status() != ProtocolStatus.RUNNING || s.headSha() == null || s.headSha().isBlank()) {
            return false;
        }
        if (!StepTransitions.allows(step.status(), StepAction.BLOCK)) return false;
        // an agent must not fix in the worktree while another step's agent works there
        if (steps.allOf(p.id()).stream().anyMatch(x -> x.status() == StepStatus.RUNNING)) return false;
        if (s.forgeToken() == null) return false;
        Project project = projects.get(p.projectId());
        String token = project.secret(s.forgeToken());
        return s.provider().equals(project.ciProvider()) && token != null && !token.isBlank();
    }

    /**
     * Claims the failing head sha (one triage per sha and kind: a second delivery about the same commit
     * starts nothing) and enqueues a ci_triage_job.
     */
    private CiResult.Applied triage(ProtocolRun p, StepRun step, CiResult s, Map<String, Object> meta, String message) {
        String sha = s.headSha().trim();
        Map<String, Object> ref = new LinkedHashMap<>(meta);
        if (s.runId() != null) ref.put("run_id", s.runId().length() > 2000 ? s.runId().substring(0, 2000) + "…" : s.runId());
        boolean rerun = settings.ciRerunFailedFirst() && s.runId() != null && s.rerunnable()
                && !ciLoop.hasKind(step.id(), CiLoopStore.KIND_RERUN) && ciLoop.fixesStarted(step.id()) == 0;
        String kind = rerun ? CiLoopStore.KIND_RERUN : CiLoopStore.KIND_FIX;
        int attempt = rerun ? 0 : ciLoop.fixesStarted(step.id()) + 1;
        Optional<CiLoopStore.Fix> claimed = ciLoop.claim(p.id(), step.id(), sha, kind, attempt, ref);
        if (claimed.isEmpty()) {
            meta.put("already_handled", true);
            events.record(p.projectId(), p.id(), step.id(), "ci_failure_repeated",
                    message + "; the failure of " + shortSha(sha) + " is already being handled", meta);
            return new CiResult.Applied(p.id(), step.id(), "recorded", p.status().api());
        }
        meta.put("triage", kind);
        meta.put("ci_fix_id", claimed.get().id());
        events.record(p.projectId(), p.id(), step.id(), "ci_triage_queued",
                message + "; fetching the failed jobs and their logs", meta);
        jobs.enqueue(JobType.CI_TRIAGE_JOB, p.projectId(), p.id(), step.id());
        return new CiResult.Applied(p.id(), step.id(), "triage_queued", p.status().api());
    }

    /** What a triaged failure leads to (see {@link CiLifecycle#ciTriaged}). */
    void triaged(CiLoopStore.Fix row, List<Map<String, Object>> failures, boolean rerun, String rerunProblem) {
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
        int max = settings.ciAutofixAttempts();
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
        if (rerun) meta.put("rerun_refused", rerunProblem);
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
            moves.step(p, step, StepAction.BLOCK, "step_blocked", text, text, Map.of("ci_fix_id", row.id()));
            jobs.enqueue(JobType.CI_FIX_JOB, p.projectId(), p.id(), step.id());
            return;
        }
        ciLoop.transition(row.id(), CiLoopStore.TRIAGING, CiLoopStore.BLOCKED);
        moves.step(p, step, StepAction.BLOCK, "step_blocked", message, message, Map.of("ci_fix_id", row.id()));
        Map<String, Object> blockMeta = new LinkedHashMap<>(meta);
        blockMeta.put("step_run_id", step.id());
        if (max == 0 || busy) {
            blockMeta.put("next", "block");
            moves.block(p, "ci_failed", message, blockMeta);
            return;
        }
        meta.put("next", "exhausted");
        events.record(p.projectId(), p.id(), stepId, "ci_failed", message, meta);
        blockMeta.put("attempts", used);
        blockMeta.put("max_attempts", max);
        moves.block(p, "ci_fix_exhausted", "CI still fails after " + used + " auto-fix attempt"
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
