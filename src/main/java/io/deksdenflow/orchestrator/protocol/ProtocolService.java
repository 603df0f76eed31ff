package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.CancelRequested;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.store.ProtocolStore;
import io.deksdenflow.orchestrator.store.StepStore;
import java.util.Comparator;
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

    public ProtocolService(Transactions tx, ProtocolStore protocols, StepStore steps,
                           StateChanges changes, JobEnqueuer jobs, ProtocolDriver driver, ApplicationEventPublisher publisher) {
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.changes = changes;
        this.jobs = jobs;
        this.driver = driver;
        this.publisher = publisher;
    }

    public record CreateProtocol(String protocolName, String description, String baseBranch, String engine,
                                 Boolean autoAdvance, Map<String, String> engines) {

        public CreateProtocol(String protocolName, String description, String baseBranch, String engine,
                              Boolean autoAdvance) {
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
        Map<String, String> engines = io.deksdenflow.orchestrator.common.PhaseEngines.require("engines", req.engines());
        return tx.inTx(() -> {
            ProtocolRun p = protocols.insert(new ProtocolStore.NewProtocol(project.id(), req.protocolName(),
                    req.description(), base == null ? project.baseBranch() : base, blankToNull(req.engine()),
                    Boolean.TRUE.equals(req.autoAdvance()), engines));
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

    private ActionResult<ProtocolRun> apply(ProtocolRun p, ProtocolAction action) {
        ProtocolStatus before = p.status();
        ProtocolStatus target = ProtocolTransitions.next(before, action, p.pausedFrom());
        return switch (action) {
            case START, RESUME -> resumeOrStart(p, action, before, target);
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
            ProtocolRun after = changes.protocol(p, action, "protocol_resumed", "resumed (back to " + target.api() + ")", null);
            Job job = switch (target) {
                case PLANNING -> jobs.enqueue(JobType.PLAN_PROTOCOL_JOB, p.projectId(), p.id(), null);
                case RUNNING -> driver.resumeInterrupted(after);
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
