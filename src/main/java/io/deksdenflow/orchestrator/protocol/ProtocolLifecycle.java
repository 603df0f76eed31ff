package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.CancelRequested;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.dispatch.ActionResult;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The API's actions on protocol runs and their steps: create, start/pause/resume/cancel/run/retry/open
 * PR, raise_budget, add a step, and the step actions run/run_qa/approve. The lifecycle is split by
 * phase, one class each, all with the same shape: each public method is one domain change and one
 * transaction — it re-reads the rows, applies the transition tables ({@link ProtocolTransitions},
 * {@link StepTransitions}) as compare-and-set through {@link ProtocolMoves}, records the change's
 * events and enqueues the next job, all in that transaction (a lost compare-and-set re-runs it from a
 * fresh read). The phases: this class (what a user asks for), {@link PlanningLifecycle},
 * {@link StepLifecycle} (execution), {@link QaLifecycle}, {@link CiLifecycle} (PR/MR and the CI loop),
 * {@link BudgetLifecycle} (usage and limits) and {@link JobLifecycle} (a job's final outcome). Job
 * handlers do their git and engine work and then make one call to a phase; the API's services validate
 * their input and make one call here.
 */
@Component
public class ProtocolLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final EventRecorder events;
    private final JobEnqueuer jobs;
    private final ApplicationEventPublisher publisher;
    private final ProtocolMoves moves;
    private final StepProgress progress;
    private final PeopleSettings people;

    ProtocolLifecycle(Transactions tx, ProtocolStore protocols, StepStore steps, EventRecorder events,
                      JobEnqueuer jobs, ApplicationEventPublisher publisher, ProtocolMoves moves,
                      StepProgress progress, PeopleSettings people) {
        this.people = people;
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.events = events;
        this.jobs = jobs;
        this.publisher = publisher;
        this.moves = moves;
        this.progress = progress;
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

    /**
     * reject_plan on a plan awaiting approval: the feedback is kept for the next planning run, the
     * rejected plan's steps that never ran are removed, and planning runs again ({@code plan_rejected}
     * with the feedback and the rejected step list). At most DEKSDENFLOW_REPLAN_ATTEMPTS times: one more
     * is a 409 (approve the plan, or cancel the protocol).
     */
    public ActionResult<ProtocolRun> rejectPlan(long protocolId, String feedback) {
        return tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            ProtocolTransitions.next(p.status(), ProtocolAction.REJECT_PLAN, p.pausedFrom()); // 409 unless awaiting approval
            if (p.replans() >= people.replanAttempts()) {
                throw new ConflictException("the plan of " + p.protocolName() + " was rejected " + p.replans()
                        + " times, the most DEKSDENFLOW_REPLAN_ATTEMPTS=" + people.replanAttempts()
                        + " allows: approve_plan, or cancel the protocol and start again with a clearer description",
                        Map.of("current_status", p.status().api(), "replans", p.replans(),
                                "replan_attempts", people.replanAttempts(),
                                "allowed_actions", ProtocolTransitions.allowedActions(p.status())));
            }
            List<Map<String, Object>> previous = steps.allOf(p.id()).stream()
                    .map(s -> Map.<String, Object>of("step_name", s.stepName(), "step_type", s.stepType().api())).toList();
            protocols.rejectPlan(p.id(), feedback);
            int removed = steps.deleteUnstarted(p.id());
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("feedback", feedback);
            meta.put("previous_plan", previous);
            meta.put("steps_removed", removed);
            meta.put("replan", p.replans() + 1);
            meta.put("replan_attempts", people.replanAttempts());
            ProtocolRun after = moves.protocol(p, ProtocolAction.REJECT_PLAN, "plan_rejected",
                    "plan rejected: planning again with the feedback", meta);
            return done("plan rejected; planning again", after,
                    jobs.enqueue(JobType.PLAN_PROTOCOL_JOB, p.projectId(), p.id(), null));
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
                    Job job = progress.startStep(p, s, "run requested");
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
                    Job next = progress.afterStepCompleted(p);
                    yield new ActionResult<>("step approved", after, next);
                }
                case ANSWER -> throw new ValidationException("text", "answer needs text");
                default -> throw new IllegalArgumentException(action + " is not a user action");
            };
        });
    }

    // ---------------------------------------------------------------- inside a transaction

    private ActionResult<ProtocolRun> apply(ProtocolRun p, ProtocolAction action) {
        ProtocolStatus before = p.status();
        ProtocolStatus target = ProtocolTransitions.next(before, action, p.pausedFrom());
        return switch (action) {
            case START, RESUME -> resumeOrStart(p, action, before, target);
            case RAISE_BUDGET -> throw new ValidationException("max_tokens", "raise_budget needs max_tokens or max_cost_usd");
            case REJECT_PLAN -> throw new ValidationException("feedback", "reject_plan needs feedback");
            case APPROVE_PLAN -> {
                ProtocolRun after = moves.protocol(p, action, "plan_approved", "plan approved by a person", null);
                Job job = progress.advance(after); // auto_advance: the first step starts now
                yield done("plan approved", protocols.get(p.id()), job);
            }
            case PAUSE -> done("protocol paused", moves.protocol(p, action, "protocol_paused", "paused by request", null), null);
            case CANCEL -> cancel(p);
            case RUN_NEXT_STEP -> runStep(p, action, progress.nextRunnable(p), "run_next_step");
            case RETRY_LATEST -> runStep(p, action, progress.latestFailed(p), "retry_latest");
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
                case RUNNING -> resumeQaOnHold(after, hold).orElseGet(() -> progress.resumeInterrupted(after));
                default -> null;
            };
            return done("protocol resumed", after, job);
        }
        if (target == ProtocolStatus.PLANNING) {
            ProtocolRun after = moves.protocol(p, action, "protocol_started", "planning requested", null);
            return done("planning enqueued", after, jobs.enqueue(JobType.PLAN_PROTOCOL_JOB, p.projectId(), p.id(), null));
        }
        // start of a planned protocol: run its first step
        return runStep(p, action, progress.nextRunnable(p), "protocol_started");
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
        Job job = progress.startStep(after, s, "step_started");
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

    private static ActionResult<ProtocolRun> done(String message, ProtocolRun p, Job job) {
        return new ActionResult<>(message, p, job);
    }
}
