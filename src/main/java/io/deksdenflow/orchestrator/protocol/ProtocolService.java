package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.CancelRequested;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.project.Check;
import io.deksdenflow.orchestrator.project.Checks;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** The protocol actions of the API: each one transition, its event and its job in one transaction. */
@Service
public class ProtocolService {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final StateChanges changes;
    private final JobEnqueuer jobs;
    private final ProtocolDriver driver;
    private final ApplicationEventPublisher publisher;
    private final EventRecorder events;

    public ProtocolService(Transactions tx, ProtocolStore protocols, StepStore steps,
                           StateChanges changes, JobEnqueuer jobs, ProtocolDriver driver, ApplicationEventPublisher publisher,
                           EventRecorder events) {
        this.events = events;
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.changes = changes;
        this.jobs = jobs;
        this.driver = driver;
        this.publisher = publisher;
    }

    public record CreateProtocol(String protocolName, String description, String baseBranch, String engine,
                                 Boolean autoAdvance, List<Check.Spec> checks, Map<String, String> engines) {

        public CreateProtocol(String protocolName, String description, String baseBranch, String engine, Boolean autoAdvance,
                              List<Check.Spec> checks) {
            this(protocolName, description, baseBranch, engine, autoAdvance, checks, null);
        }

        public CreateProtocol(String protocolName, String description, String baseBranch, String engine, Boolean autoAdvance) {
            this(protocolName, description, baseBranch, engine, autoAdvance, null);
        }
    }

    public ProtocolRun create(Project project, CreateProtocol req) {
        Names.requireProtocolName("protocol_name", req.protocolName());
        String base = blankToNull(req.baseBranch());
        if (base != null) Branches.requireBranch("base_branch", base);
        if (req.description() != null && req.description().length() > 10_000) {
            throw new ValidationException("description", "description is longer than 10000 characters");
        }
        List<Check> checks = Checks.require("checks", req.checks());
        Map<String, String> engines = io.deksdenflow.orchestrator.common.PhaseEngines.require("engines", req.engines());
        return tx.inTx(() -> {
            ProtocolRun p = protocols.insert(new ProtocolStore.NewProtocol(project.id(), req.protocolName(),
                    req.description(), base == null ? project.baseBranch() : base, blankToNull(req.engine()),
                    Boolean.TRUE.equals(req.autoAdvance()), checks, engines));
            changes.recordCreated(p);
            return p;
        });
    }

    public ActionResult<ProtocolRun> act(long protocolId, ProtocolAction action) {
        ActionResult<ProtocolRun> result = tx.inTx(() -> apply(protocols.get(protocolId), action));
        if (action == ProtocolAction.PAUSE || action == ProtocolAction.CANCEL) {
            publisher.publishEvent(new CancelRequested(protocolId, action.api()));
        }
        return result;
    }

    /**
     * raise_budget: the paused protocol's own limits become {@code maxTokens} / {@code maxCostUsd} (each
     * optional, at least one; above what it has already used), then it resumes where it stopped.
     */
    public ActionResult<ProtocolRun> raiseBudget(long protocolId, Long maxTokens, Double maxCostUsd) {
        if (maxTokens == null && maxCostUsd == null) {
            throw new ValidationException("max_tokens", "raise_budget needs max_tokens or max_cost_usd");
        }
        if (maxTokens != null && maxTokens <= 0) throw new ValidationException("max_tokens", "max_tokens must be a positive integer");
        if (maxCostUsd != null && (!Double.isFinite(maxCostUsd) || maxCostUsd <= 0 || maxCostUsd > 1e9)) {
            throw new ValidationException("max_cost_usd", "max_cost_usd must be a positive number of dollars");
        }
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
                        + String.format(java.util.Locale.ROOT, "%.4f", cost) + " the protocol has already cost");
            }
            protocols.raiseLimits(p.id(), maxTokens, maxCostUsd);
            Map<String, Object> meta = new java.util.LinkedHashMap<>();
            meta.put("max_tokens", maxTokens);
            meta.put("max_cost_usd", maxCostUsd);
            if (p.budgetHold() != null) meta.put("budget_exceeded", p.budgetHold());
            events.record(p.projectId(), p.id(), null, "budget_raised", "budget raised for " + p.protocolName(), meta);
            return resumeOrStart(protocols.get(p.id()), ProtocolAction.RAISE_BUDGET, p.status(), target);
        });
    }

    private ActionResult<ProtocolRun> apply(ProtocolRun p, ProtocolAction action) {
        ProtocolStatus before = p.status();
        ProtocolStatus target = ProtocolTransitions.next(before, action, p.pausedFrom());
        return switch (action) {
            case START, RESUME -> resumeOrStart(p, action, before, target);
            case RAISE_BUDGET -> throw new ValidationException("max_tokens", "raise_budget needs max_tokens or max_cost_usd");
            case PAUSE -> done("protocol paused", changes.protocol(p, action, "protocol_paused", "paused by request", null), null);
            case CANCEL -> cancel(p);
            case RUN_NEXT_STEP -> runStep(p, action, nextRunnable(p), "run_next_step");
            case RETRY_LATEST -> runStep(p, action, latestFailed(p), "retry_latest");
            case OPEN_PR -> {
                ProtocolRun after = changes.protocol(p, action, "open_pr_requested", "draft PR/MR requested", null);
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
            ProtocolRun after = changes.protocol(p, action, "protocol_resumed", "resumed (back to " + target.api() + ")",
                    hold == null ? null : Map.of("budget_exceeded", hold));
            Job job = switch (target) {
                case PLANNING -> jobs.enqueue(JobType.PLAN_PROTOCOL_JOB, p.projectId(), p.id(), null);
                case RUNNING -> resumeQaOnHold(after, hold).orElseGet(() -> driver.resumeInterrupted(after));
                default -> null;
            };
            return done("protocol resumed", after, job);
        }
        if (target == ProtocolStatus.PLANNING) {
            ProtocolRun after = changes.protocol(p, action, "protocol_started", "planning requested", null);
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
        ProtocolRun after = changes.protocol(p, action, eventType, action.api() + " → " + s.stepName(),
                Map.of("step_run_id", s.id()));
        Job job = driver.startStep(after, s, "step_started");
        return done(action.api() + ": " + s.stepName(), protocols.get(p.id()), job);
    }

    private ActionResult<ProtocolRun> cancel(ProtocolRun p) {
        for (StepRun s : steps.allOf(p.id())) {
            if (StepTransitions.allows(s.status(), StepAction.CANCEL)) {
                changes.step(p, s, StepAction.CANCEL, "step_cancelled", "cancelled with its protocol", null, null);
            }
        }
        if (p.budgetHold() != null) protocols.setBudgetHold(p.id(), null);
        ProtocolRun after = changes.protocol(p, ProtocolAction.CANCEL, "protocol_cancelled", "cancelled by request", null);
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

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
