package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.common.CancelRequested;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Every change of a protocol run and its steps. Each public method is one domain change and one
 * transaction: it re-reads the rows, applies the transition tables ({@link ProtocolTransitions},
 * {@link StepTransitions}) as compare-and-set, records the change's events and enqueues the next
 * job, all in that transaction (a lost compare-and-set re-runs it from a fresh read). Job handlers
 * do their git and engine work and then make one call here; the API's services validate their
 * input and make one call here. Inside the transaction every status change goes through
 * {@link ProtocolMoves}; what a CI result or a triaged CI failure does is decided by {@link CiDecisions}.
 */
@Component
public class ProtocolLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final CiLoopStore ciLoop;
    private final EventRecorder events;
    private final JobEnqueuer jobs;
    private final ApplicationEventPublisher publisher;
    private final Settings settings;
    private final ProtocolMoves moves;
    private final CiDecisions ci;

    ProtocolLifecycle(Transactions tx, ProtocolStore protocols, StepStore steps, CiLoopStore ciLoop, EventRecorder events,
                      JobEnqueuer jobs, ApplicationEventPublisher publisher, Settings settings, ProtocolMoves moves,
                      CiDecisions ci) {
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.ciLoop = ciLoop;
        this.events = events;
        this.jobs = jobs;
        this.publisher = publisher;
        this.settings = settings;
        this.moves = moves;
        this.ci = ci;
    }

    // ---------------------------------------------------------------- the API's actions

    /** A new protocol run ({@code protocol_created}). */
    public ProtocolRun created(ProtocolStore.NewProtocol row) {
        return tx.inTx(() -> {
            ProtocolRun p = protocols.insert(row);
            events.record(p.projectId(), p.id(), null, "protocol_created", "protocol " + p.protocolName() + " created",
                    Map.of("protocol_name", p.protocolName(), "base_branch", p.baseBranch(), "auto_advance", p.autoAdvance()));
            return p;
        });
    }

    /** A user's action on a protocol; pause and cancel also stop its running job. */
    public ActionResult<ProtocolRun> act(long protocolId, ProtocolAction action) {
        ActionResult<ProtocolRun> result = tx.inTx(() -> apply(protocols.get(protocolId), action));
        if (action == ProtocolAction.PAUSE || action == ProtocolAction.CANCEL) {
            publisher.publishEvent(new CancelRequested(protocolId, action.api()));
        }
        return result;
    }

    /**
     * raise_budget on a paused protocol: its own limits become {@code maxTokens} / {@code maxCostUsd}
     * (each above what it already used; {@code budget_raised}), then it resumes where it stopped.
     */
    public ActionResult<ProtocolRun> raiseBudget(long protocolId, Long maxTokens, Double maxCostUsd) {
        return tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            ProtocolStatus target = ProtocolTransitions.next(p.status(), ProtocolAction.RAISE_BUDGET, p.pausedFrom());
            if (maxTokens != null && maxTokens <= p.tokensUsed()) {
                throw new ValidationException("max_tokens", "max_tokens must be above the " + p.tokensUsed()
                        + " tokens the protocol has already used");
            }
            double cost = p.costUsd() == null ? 0 : p.costUsd();
            if (maxCostUsd != null && maxCostUsd <= cost) {
                throw new ValidationException("max_cost_usd", "max_cost_usd must be above the $"
                        + String.format(Locale.ROOT, "%.4f", cost) + " the protocol has already cost");
            }
            protocols.raiseLimits(p.id(), maxTokens, maxCostUsd);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("max_tokens", maxTokens);
            meta.put("max_cost_usd", maxCostUsd);
            if (p.budgetHold() != null) meta.put("budget_exceeded", p.budgetHold());
            events.record(p.projectId(), p.id(), null, "budget_raised", "budget raised for " + p.protocolName(), meta);
            return resumeOrStart(protocols.get(p.id()), ProtocolAction.RAISE_BUDGET, p.status(), target);
        });
    }

    /** A step added by hand ({@code step_created}); a finished protocol takes none. */
    public StepRun stepCreated(long protocolId, int index, String name, StepType type) {
        return tx.inTx(() -> {
            ProtocolRun current = protocols.get(protocolId);
            if (current.status().terminal()) {
                throw new ConflictException("protocol is " + current.status().api() + "; it takes no new steps",
                        Map.of("current_status", current.status().api()));
            }
            StepRun s = steps.insert(protocolId, index, name, type, null, null);
            events.record(current.projectId(), current.id(), s.id(), "step_created", "step " + s.stepName() + " added",
                    Map.of("step_index", s.stepIndex(), "step_type", type.api()));
            return s;
        });
    }

    /** A user's action on a step: run, run_qa, approve. */
    public ActionResult<StepRun> stepAct(long stepId, StepAction action) {
        return tx.inTx(() -> {
            StepRun s = steps.get(stepId);
            ProtocolRun p = protocols.get(s.protocolRunId());
            StepTransitions.next(s.status(), action); // 409 naming the step's status and its actions
            if (!StepTransitions.protocolAllowsStepWork(p.status())) {
                throw new ConflictException("protocol is " + p.status().api() + "; its steps cannot " + action.api(),
                        Map.of("current_status", s.status().api(), "protocol_status", p.status().api(),
                                "allowed_actions", StepTransitions.allowedActions(s.status(), p.status())));
            }
            return switch (action) {
                case RUN -> {
                    Job job = startStep(p, s, "run requested");
                    yield new ActionResult<>("step execution enqueued", steps.get(stepId), job);
                }
                case RUN_QA -> {
                    if (p.status() != ProtocolStatus.RUNNING) {
                        moves.protocol(p, ProtocolAction.STEP_STARTED, "protocol_running", "QA of " + s.stepName(),
                                Map.of("step_run_id", s.id()));
                    }
                    StepRun after = moves.step(p, s, StepAction.RUN_QA, "qa_requested", "QA requested", null, null);
                    yield new ActionResult<>("QA enqueued", after,
                            jobs.enqueue(JobType.RUN_QUALITY_JOB, p.projectId(), p.id(), s.id()));
                }
                case APPROVE -> {
                    steps.setQaVerdictSource(s.id(), "human");
                    StepRun after = moves.step(p, s, StepAction.APPROVE, "step_approved", "approved by a person", null,
                            Map.of("verdict_source", "human"));
                    Job next = afterStepCompleted(p);
                    yield new ActionResult<>("step approved", after, next);
                }
                default -> throw new IllegalArgumentException(action + " is not a user action");
            };
        });
    }

    // ---------------------------------------------------------------- planning

    /** A step of the plan: its file name and type. */
    public record PlannedStep(String name, StepType type) {}

    /** The planning job prepared the protocol's worktree at {@code path}. */
    public void worktreeReady(long protocolId, String path) {
        tx.inTx(() -> {
            protocols.setWorktree(protocolId, path);
            return null;
        });
    }

    /**
     * The plan is committed: its steps are created (those not there yet), the protocol is planned
     * ({@code planned}) and, with auto_advance, its first step starts. Nothing when the protocol left
     * planning meanwhile (paused or cancelled).
     */
    public void planned(long protocolId, List<PlannedStep> planned, Map<String, ?> meta) {
        tx.inTx(() -> {
            ProtocolRun current = protocols.get(protocolId);
            if (current.status() != ProtocolStatus.PLANNING) return null;
            Set<String> existing = steps.allOf(protocolId).stream().map(StepRun::stepName).collect(Collectors.toSet());
            int index = existing.size();
            for (PlannedStep s : planned) {
                if (!existing.contains(s.name())) {
                    steps.insert(protocolId, index++, s.name(), s.type(), null, null);
                }
            }
            ProtocolRun after = moves.protocol(current, ProtocolAction.PLAN_DONE, "planned", "planned " + planned.size() + " steps", meta);
            advance(after);
            return null;
        });
    }

    /** The planning answer was rejected: the protocol is blocked ({@code plan_invalid}). */
    public void planInvalid(long protocolId, String reason, Map<String, ?> meta) {
        tx.inTx(() -> {
            moves.block(protocols.get(protocolId), "plan_invalid", "the planning answer was rejected: " + reason, meta);
            return null;
        });
    }

    // ---------------------------------------------------------------- step execution

    /** An execution job starts a step at {@code headSha} (the commit a retry resets to, and a CI fix diffs from). */
    public void execStarting(long stepId, String jobId, String headSha) {
        tx.inTx(() -> {
            steps.setExecStart(stepId, jobId, headSha);
            ciLoop.setStepStart(stepId, headSha);
            return null;
        });
    }

    /**
     * The step's work is committed as {@code sha} and pushed: step → needs_qa ({@code step_executed}),
     * and its QA is enqueued when DEKSDENFLOW_AUTO_QA_AFTER_EXEC is on. Nothing when the step or the
     * protocol stopped running meanwhile.
     */
    public void stepExecuted(long stepId, String sha, Map<String, ?> meta) {
        tx.inTx(() -> {
            StepRun current = steps.get(stepId);
            ProtocolRun protocol = protocols.get(current.protocolRunId());
            if (current.status() != StepStatus.RUNNING || protocol.status() != ProtocolStatus.RUNNING) return null;
            steps.markExecuted(stepId, sha, protocols.nextExecSeq(protocol.id()));
            moves.step(protocol, current, StepAction.EXEC_DONE, "step_executed", "step " + current.stepName() + " executed",
                    null, meta);
            if (settings.isAutoQaAfterExec()) {
                jobs.enqueue(JobType.RUN_QUALITY_JOB, protocol.projectId(), protocol.id(), stepId);
            }
            return null;
        });
    }

    /** The protocol's branch was pushed at {@code sha}: CI results for older commits are superseded from now on. */
    public void pushed(long protocolId, String sha) {
        tx.inTx(() -> {
            ciLoop.setHead(protocolId, sha);
            return null;
        });
    }

    /** The engine and model that execute a step. */
    public void stepEngine(long stepId, String engine, String model) {
        tx.inTx(() -> {
            steps.setEngine(stepId, engine, model);
            return null;
        });
    }

    /** An engine call's tokens and cost, added to the protocol's (and step's) totals. */
    public void usage(long protocolId, Long stepId, long tokens, Double costUsd) {
        tx.inTx(() -> {
            protocols.addUsage(protocolId, tokens, costUsd);
            if (stepId != null) steps.addUsage(stepId, tokens, costUsd);
            return null;
        });
    }

    // ---------------------------------------------------------------- budget

    /** A budget in warn mode let a call through that passes a limit ({@code budget_warning}). */
    public void budgetWarning(long protocolId, Long stepId, String reason, Map<String, ?> meta) {
        recordEvent(protocolId, stepId, "budget_warning", reason, meta);
    }

    /** An agent's connection was refused by its egress path ({@code agent_egress_denied}, meta host and port). */
    public void egressDenied(long protocolId, Long stepId, String message, Map<String, ?> meta) {
        recordEvent(protocolId, stepId, "agent_egress_denied", message, meta);
    }

    /** A call's real usage passed a limit: the next call is refused ({@code budget_overrun}). */
    public void budgetOverrun(long protocolId, Long stepId, String message, Map<String, ?> meta) {
        recordEvent(protocolId, stepId, "budget_overrun", message, meta);
    }

    /**
     * A budget in pause mode refused a call: {@code budget_exceeded}, and the protocol pauses with
     * {@code hold} (what raise_budget resumes) when it can.
     */
    public void budgetPaused(long protocolId, Long stepId, String reason, Map<String, ?> meta, Map<String, ?> hold) {
        tx.inTx(() -> {
            ProtocolRun current = protocols.get(protocolId);
            events.record(current.projectId(), current.id(), stepId, "budget_exceeded", reason, meta);
            if (ProtocolTransitions.allows(current.status(), ProtocolAction.BUDGET_PAUSE)) {
                protocols.setBudgetHold(protocolId, hold);
                moves.protocol(current, ProtocolAction.BUDGET_PAUSE, "protocol_paused",
                        "paused until the budget is raised: " + reason, Map.of("budget_exceeded", hold));
            }
            return null;
        });
    }

    /**
     * A strict budget refused a call and so failed {@code job}: the step is blocked
     * ({@code step_blocked}), {@code budget_exceeded}, the protocol is blocked ({@code protocol_blocked})
     * and {@code job_failed} — once, in one transaction.
     */
    public void budgetExceeded(Job job, String reason, Map<String, ?> budgetMeta, Map<String, ?> failureMeta) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(job.protocolRunId());
            if (job.stepRunId() != null) {
                StepRun s = steps.get(job.stepRunId());
                if (StepTransitions.allows(s.status(), StepAction.BLOCK)) {
                    moves.step(p, s, StepAction.BLOCK, "step_blocked", reason, reason, budgetMeta);
                }
            }
            events.record(p.projectId(), p.id(), job.stepRunId(), "budget_exceeded", reason, budgetMeta);
            moves.block(p, "protocol_blocked", "token budget exceeded: " + reason, budgetMeta);
            events.record(p.projectId(), p.id(), job.stepRunId(), "job_failed",
                    job.type().api() + " failed: " + reason, failureMeta);
            return null;
        });
    }

    // ---------------------------------------------------------------- QA

    /** The declared checks ran for a step: results stored with it ({@code qa_checks}). */
    public void qaChecks(long stepId, List<CheckResult> results, Map<String, ?> meta) {
        tx.inTx(() -> {
            StepRun s = steps.get(stepId);
            ProtocolRun p = protocols.get(s.protocolRunId());
            long failed = results.stream().filter(r -> !r.passed()).count();
            steps.setQaChecks(stepId, results);
            events.record(p.projectId(), p.id(), stepId, "qa_checks", failed == 0
                    ? "all " + results.size() + " checks passed for " + s.stepName()
                    : failed + " of " + results.size() + " checks failed for " + s.stepName(), meta);
            return null;
        });
    }

    /**
     * A QA verdict. {@code report} is stored with the step; {@code failedChecks} are the failures of
     * the declared checks (they decided a fail).
     */
    public record QaVerdict(boolean passed, String verdict, String source, String reason, String findings,
                            List<String> failedChecks, String report) {}

    /**
     * QA decided: pass completes the step ({@code qa_passed}) and moves the protocol on (completes it,
     * or auto-advances); fail fails the step ({@code qa_failed}) and blocks the protocol. Nothing when
     * the step left needs_qa or its protocol takes no step work meanwhile.
     */
    public void qaVerdict(long stepId, QaVerdict v, Map<String, ?> metadata) {
        tx.inTx(() -> {
            StepRun current = steps.get(stepId);
            ProtocolRun protocol = protocols.get(current.protocolRunId());
            if (current.status() != StepStatus.NEEDS_QA || !StepTransitions.protocolAllowsStepWork(protocol.status())) {
                return null;
            }
            Map<String, Object> meta = new LinkedHashMap<>(metadata);
            steps.setQa(stepId, v.verdict(), v.report());
            steps.setQaVerdictSource(stepId, v.source());
            if (v.passed()) {
                moves.step(protocol, current, StepAction.QA_PASSED, "qa_passed", "QA passed for " + current.stepName(), null, meta);
                afterStepCompleted(protocol);
            } else {
                meta.put("findings", v.findings());
                if (v.failedChecks() != null && !v.failedChecks().isEmpty()) meta.put("failed_checks", v.failedChecks());
                moves.step(protocol, current, StepAction.QA_FAILED, "qa_failed", "QA failed for " + current.stepName()
                        + ": " + v.reason(), v.reason(), meta);
                moves.block(protocol, "protocol_blocked", "QA failed for " + current.stepName(), Map.of("step_run_id", stepId));
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- pull request

    /** The draft PR/MR is open at {@code url} ({@code pr_opened}); {@code number} is GitLab's MR iid or the PR's number. */
    public void prOpened(long protocolId, String url, Long number, String provider) {
        tx.inTx(() -> {
            ProtocolRun run = protocols.get(protocolId);
            protocols.setPrUrl(protocolId, url);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("url", url);
            meta.put("provider", provider);
            if (number != null) {
                // GitLab's job hooks of merge-request pipelines name only refs/merge-requests/<iid>/head
                ciLoop.setPrNumber(protocolId, number);
                meta.put("number", number);
            }
            events.record(run.projectId(), protocolId, null, "pr_opened", "draft " + (
                    "gitlab".equals(provider) ? "MR" : "PR") + " open: " + url, meta);
            return null;
        });
    }

    // ---------------------------------------------------------------- CI

    /**
     * A CI or PR/MR result about one run: PR merged completes the protocol ({@code pr_merged}); a
     * result for an older commit is history ({@code ci_superseded}); success may move the step to QA
     * ({@code ci_passed} + run_quality_job); a failure blocks the step and protocol ({@code ci_failed}),
     * or, when the forge can tell what failed, claims the commit for triage ({@code ci_triage_queued} +
     * ci_triage_job). A transition the tables refuse throws a 409 ({@link #ciRefused} records it).
     */
    public CiResult.Applied ciResult(long protocolRunId, CiResult s) {
        return tx.inTx(() -> ci.apply(protocols.get(protocolRunId), s));
    }

    /** A CI result that could not be applied to a run ({@code ci_ignored}); the sender is never failed. */
    public CiResult.Applied ciRefused(long protocolRunId, CiResult s, String reason) {
        return tx.inTx(() -> {
            ProtocolRun run = protocols.get(protocolRunId);
            Map<String, Object> meta = new LinkedHashMap<>(s.metadata());
            meta.put("ignored", true);
            meta.put("reason", reason);
            events.record(run.projectId(), run.id(), null, "ci_ignored",
                    "CI " + s.description() + " not applied: " + reason, meta);
            return new CiResult.Applied(run.id(), null, "refused", run.status().api());
        });
    }

    /**
     * The CI failure a triage job works on: on a retry the one an earlier attempt took, else the oldest
     * waiting one, taken by compare-and-set (two jobs never share one). Empty when none waits.
     */
    public Optional<CiLoopStore.Fix> ciTriageTaken(long protocolId, boolean retry) {
        if (retry) {
            Optional<CiLoopStore.Fix> taken = ciLoop.oldest(protocolId, CiLoopStore.TRIAGING);
            if (taken.isPresent()) return taken;
        }
        while (true) {
            Optional<CiLoopStore.Fix> queued = ciLoop.oldest(protocolId, CiLoopStore.QUEUED);
            if (queued.isEmpty()) return Optional.empty();
            long id = queued.get().id();
            if (tx.inTx(() -> ciLoop.transition(id, CiLoopStore.QUEUED, CiLoopStore.TRIAGING))) {
                return Optional.of(ciLoop.get(id));
            }
        }
    }

    /**
     * Triage fetched a CI failure's {@code failures} (and asked for a re-run when {@code rerun}, which
     * {@code rerunProblem} says failed): re-run requested ({@code ci_rerun_requested}); or, while the
     * step has fix attempts left, the step is blocked and a ci_fix_job enqueued; else the protocol is
     * blocked ({@code ci_fix_exhausted}, or {@code ci_failed} with auto-fix off). Only reported
     * ({@code ci_failed}) when the protocol moved on meanwhile.
     */
    public void ciTriaged(long fixId, List<Map<String, Object>> failures, boolean rerun, String rerunProblem) {
        tx.inTx(() -> {
            ci.triaged(ciLoop.get(fixId), failures, rerun, rerunProblem);
            return null;
        });
    }

    /** A CI fix job found nothing to do (the protocol or step moved on): {@code job_skipped}. */
    public void ciFixSkipped(long fixId, Job job, String reason) {
        tx.inTx(() -> {
            ciLoop.transition(fixId, CiLoopStore.FIXING, CiLoopStore.SKIPPED);
            recordSkip(job, reason);
            return null;
        });
    }

    /** An auto-fix attempt starts ({@code ci_fix_started}). */
    public void ciFixStarted(long fixId, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            CiLoopStore.Fix row = ciLoop.get(fixId);
            ProtocolRun run = protocols.get(row.protocolRunId());
            events.record(run.projectId(), run.id(), row.stepRunId(), "ci_fix_started", message, meta);
            return null;
        });
    }

    /** An auto-fix attempt changed nothing: the protocol is blocked ({@code ci_fix_failed}). */
    public void ciFixFailed(long fixId, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            CiLoopStore.Fix row = ciLoop.get(fixId);
            ciLoop.transition(fixId, CiLoopStore.FIXING, CiLoopStore.FIX_FAILED);
            moves.block(protocols.get(row.protocolRunId()), "ci_fix_failed", message, meta);
            return null;
        });
    }

    /**
     * An auto-fix was committed as {@code sha} and pushed ({@code ci_fix_pushed}): the step's work now
     * ends at the fix, so CI on this commit reports on this step.
     */
    public void ciFixPushed(long fixId, String sha, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            CiLoopStore.Fix row = ciLoop.get(fixId);
            ProtocolRun run = protocols.get(row.protocolRunId());
            ciLoop.setFixSha(fixId, sha);
            ciLoop.transition(fixId, CiLoopStore.FIXING, CiLoopStore.PUSHED);
            steps.markExecuted(row.stepRunId(), sha, protocols.nextExecSeq(run.id()));
            events.record(run.projectId(), run.id(), row.stepRunId(), "ci_fix_pushed", message, meta);
            return null;
        });
    }

    // ---------------------------------------------------------------- job outcomes

    /** A job found its target no longer in the expected state and did nothing ({@code job_skipped}). */
    public void jobSkipped(Job job, String reason) {
        tx.inTx(() -> {
            recordSkip(job, reason);
            return null;
        });
    }

    /**
     * A job failed for good ({@code job_failed}, after the untrusted-content event when that was the
     * cause): its step fails ({@code step_failed}) and the protocol is blocked; an open_pr_job only
     * leaves its error on the protocol.
     */
    public void jobFailed(Job job, Throwable error, Map<String, ?> meta) {
        String message = job.type().api() + " failed: " + error.getMessage();
        UntrustedContentException untrusted = UntrustedContentException.in(error);
        tx.inTx(() -> {
            if (untrusted != null) {
                events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), untrusted.eventType(),
                        untrusted.getMessage(), meta);
            }
            events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_failed", message, meta);
            if (job.protocolRunId() == null) return null;
            if (job.type() == JobType.OPEN_PR_JOB || job.type() == JobType.NOOP_JOB) {
                protocols.setLastError(job.protocolRunId(), message);
                return null;
            }
            ProtocolRun p = protocols.get(job.protocolRunId());
            if (job.stepRunId() != null) {
                StepRun s = steps.get(job.stepRunId());
                if (StepTransitions.allows(s.status(), StepAction.FAIL)) {
                    moves.step(p, s, StepAction.FAIL, "step_failed", message, error.getMessage(), meta);
                }
            }
            moves.block(p, "protocol_blocked", message, meta);
            return null;
        });
    }

    /** A job stopped by pause, cancel or a paused budget ({@code job_cancelled}); the action already changed the state. */
    public void jobCancelled(Job job, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_cancelled", message, meta);
            return null;
        });
    }

    // ---------------------------------------------------------------- inside a transaction

    private ActionResult<ProtocolRun> apply(ProtocolRun p, ProtocolAction action) {
        ProtocolStatus before = p.status();
        ProtocolStatus target = ProtocolTransitions.next(before, action, p.pausedFrom());
        return switch (action) {
            case START, RESUME -> resumeOrStart(p, action, before, target);
            case RAISE_BUDGET -> throw new ValidationException("max_tokens", "raise_budget needs max_tokens or max_cost_usd");
            case PAUSE -> done("protocol paused", moves.protocol(p, action, "protocol_paused", "paused by request", null), null);
            case CANCEL -> cancel(p);
            case RUN_NEXT_STEP -> runStep(p, action, nextRunnable(p), "run_next_step");
            case RETRY_LATEST -> runStep(p, action, latestFailed(p), "retry_latest");
            case OPEN_PR -> {
                ProtocolRun after = moves.protocol(p, action, "open_pr_requested", "draft PR/MR requested", null);
                yield done("opening a draft PR/MR", after, jobs.enqueue(JobType.OPEN_PR_JOB, p.projectId(), p.id(), null));
            }
            default -> throw new IllegalArgumentException(action + " is not a user action");
        };
    }

    private ActionResult<ProtocolRun> resumeOrStart(ProtocolRun p, ProtocolAction action, ProtocolStatus before,
                                                    ProtocolStatus target) {
        if (before == ProtocolStatus.PAUSED) {
            Map<String, Object> hold = p.budgetHold();
            if (hold != null) protocols.setBudgetHold(p.id(), null);
            ProtocolRun after = moves.protocol(p, action, "protocol_resumed", "resumed (back to " + target.api() + ")",
                    hold == null ? null : Map.of("budget_exceeded", hold));
            Job job = switch (target) {
                case PLANNING -> jobs.enqueue(JobType.PLAN_PROTOCOL_JOB, p.projectId(), p.id(), null);
                case RUNNING -> resumeQaOnHold(after, hold).orElseGet(() -> resumeInterrupted(after));
                default -> null;
            };
            return done("protocol resumed", after, job);
        }
        if (target == ProtocolStatus.PLANNING) {
            ProtocolRun after = moves.protocol(p, action, "protocol_started", "planning requested", null);
            return done("planning enqueued", after, jobs.enqueue(JobType.PLAN_PROTOCOL_JOB, p.projectId(), p.id(), null));
        }
        // start of a planned protocol: run its first step
        return runStep(p, action, nextRunnable(p), "protocol_started");
    }

    /** A budget pause that stopped a step's QA: run that QA again. */
    private Optional<Job> resumeQaOnHold(ProtocolRun p, Map<String, Object> hold) {
        if (hold == null || !"qa".equals(hold.get("phase")) || !(hold.get("step_run_id") instanceof Number id)) {
            return Optional.empty();
        }
        StepRun s = steps.get(id.longValue());
        if (s.status() != StepStatus.NEEDS_QA) return Optional.empty();
        return Optional.of(jobs.enqueue(JobType.RUN_QUALITY_JOB, p.projectId(), p.id(), s.id()));
    }

    private ActionResult<ProtocolRun> runStep(ProtocolRun p, ProtocolAction action, Optional<StepRun> step, String eventType) {
        StepRun s = step.orElseThrow(() -> new ConflictException("protocol " + p.protocolName() + " has no step to "
                + (action == ProtocolAction.RETRY_LATEST ? "retry (no failed or blocked step)" : "run"),
                Map.of("current_status", p.status().api(), "allowed_actions", ProtocolTransitions.allowedActions(p.status()))));
        Optional<StepRun> running = steps.allOf(p.id()).stream().filter(x -> x.status() == StepStatus.RUNNING).findFirst();
        if (running.isPresent() && running.get().id() != s.id()) {
            throw new ConflictException("step " + running.get().stepName() + " is still running",
                    Map.of("current_status", p.status().api(), "running_step_id", running.get().id()));
        }
        ProtocolRun after = moves.protocol(p, action, eventType, action.api() + " → " + s.stepName(), Map.of("step_run_id", s.id()));
        Job job = startStep(after, s, "step_started");
        return done(action.api() + ": " + s.stepName(), protocols.get(p.id()), job);
    }

    private ActionResult<ProtocolRun> cancel(ProtocolRun p) {
        for (StepRun s : steps.allOf(p.id())) {
            if (StepTransitions.allows(s.status(), StepAction.CANCEL)) {
                moves.step(p, s, StepAction.CANCEL, "step_cancelled", "cancelled with its protocol", null, null);
            }
        }
        if (p.budgetHold() != null) protocols.setBudgetHold(p.id(), null);
        ProtocolRun after = moves.protocol(p, ProtocolAction.CANCEL, "protocol_cancelled", "cancelled by request", null);
        return done("protocol cancelled", after, null);
    }

    /** run_next_step: the first pending, failed or blocked step in plan order. */
    Optional<StepRun> nextRunnable(ProtocolRun p) {
        return steps.allOf(p.id()).stream()
                .filter(s -> s.status() == StepStatus.PENDING || s.status() == StepStatus.FAILED || s.status() == StepStatus.BLOCKED)
                .findFirst();
    }

    /** retry_latest: the last failed or blocked step. */
    Optional<StepRun> latestFailed(ProtocolRun p) {
        return steps.allOf(p.id()).stream()
                .filter(s -> s.status() == StepStatus.FAILED || s.status() == StepStatus.BLOCKED)
                .max(Comparator.comparingInt(StepRun::stepIndex));
    }

    private static ActionResult<ProtocolRun> done(String message, ProtocolRun p, Job job) {
        return new ActionResult<>(message, p, job);
    }

    /** Puts a step into running (and its protocol too) and enqueues its execution. */
    private Job startStep(ProtocolRun p, StepRun s, String reason) {
        ProtocolRun current = protocols.get(p.id());
        if (current.status() != ProtocolStatus.RUNNING) {
            current = moves.protocol(current, ProtocolAction.STEP_STARTED, "protocol_running", "running step " + s.stepName(),
                    Map.of("step_run_id", s.id()));
        }
        if (s.status() != StepStatus.RUNNING) {
            moves.step(current, s, StepAction.RUN, "step_started", "step " + s.stepName() + " started (" + reason + ")", null, null);
        }
        return jobs.enqueue(JobType.EXECUTE_STEP_JOB, p.projectId(), p.id(), s.id());
    }

    /** Resume after a pause: re-enqueue the executions the pause interrupted, or advance. */
    private Job resumeInterrupted(ProtocolRun p) {
        Job last = null;
        for (StepRun s : steps.allOf(p.id())) {
            if (s.status() == StepStatus.RUNNING) {
                last = jobs.enqueue(JobType.EXECUTE_STEP_JOB, p.projectId(), p.id(), s.id());
            }
        }
        return last != null ? last : advance(protocols.get(p.id()));
    }

    /**
     * After a step completed (QA pass, approval): complete the protocol when every step is completed
     * or cancelled ({@code protocol_completed}), else start the next pending step when auto_advance is on.
     */
    private Job afterStepCompleted(ProtocolRun p) {
        ProtocolRun current = protocols.get(p.id());
        List<StepRun> all = steps.allOf(p.id());
        boolean allDone = !all.isEmpty() && all.stream()
                .allMatch(s -> s.status() == StepStatus.COMPLETED || s.status() == StepStatus.CANCELLED);
        if (allDone) {
            if (ProtocolTransitions.allows(current.status(), ProtocolAction.COMPLETE)) {
                moves.protocol(current, ProtocolAction.COMPLETE, "protocol_completed", "every step completed", Map.of("steps", all.size()));
            }
            return null;
        }
        return advance(current);
    }

    /** With auto_advance: start the next pending step unless one is already running. */
    private Job advance(ProtocolRun p) {
        if (!p.autoAdvance() || !StepTransitions.protocolAllowsStepWork(p.status())) return null;
        List<StepRun> all = steps.allOf(p.id());
        if (all.stream().anyMatch(s -> s.status() == StepStatus.RUNNING)) return null;
        Optional<StepRun> next = all.stream().filter(s -> s.status() == StepStatus.PENDING).findFirst();
        return next.map(s -> startStep(p, s, "auto_advance")).orElse(null);
    }

    private void recordEvent(long protocolId, Long stepId, String type, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            events.record(p.projectId(), p.id(), stepId, type, message, meta);
            return null;
        });
    }

    private void recordSkip(Job job, String reason) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("job_type", job.type().api());
        meta.put("reason", reason);
        events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_skipped",
                job.type().api() + " skipped: " + reason, meta);
    }
}
