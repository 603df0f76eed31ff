package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import java.util.Map;
import org.springframework.stereotype.Service;

/** The step actions of the API: run, run_qa, approve; and manual step creation. */
@Service
public class StepService {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final StateChanges changes;
    private final ProtocolDriver driver;
    private final JobEnqueuer jobs;
    private final EventRecorder events;

    public StepService(Transactions tx, ProtocolStore protocols, StepStore steps, StateChanges changes,
                       ProtocolDriver driver, JobEnqueuer jobs, EventRecorder events) {
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.changes = changes;
        this.driver = driver;
        this.jobs = jobs;
        this.events = events;
    }

    public record CreateStep(Integer stepIndex, String stepName, String stepType) {}

    public StepRun create(ProtocolRun p, CreateStep req) {
        if (req.stepIndex() == null || req.stepIndex() < 0 || req.stepIndex() > 999) {
            throw new ValidationException("step_index", "step_index must be an integer from 0 to 999");
        }
        Names.requireStepName("step_name", req.stepName());
        StepType type;
        try {
            type = req.stepType() == null ? StepType.fromFileName(req.stepName()) : StepType.parse(req.stepType());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("step_type", "step_type must be one of setup, work, qa");
        }
        return tx.inTx(() -> {
            ProtocolRun current = protocols.get(p.id());
            if (current.status().terminal()) {
                throw new ConflictException("protocol is " + current.status().api() + "; it takes no new steps",
                        Map.of("current_status", current.status().api()));
            }
            StepRun s = steps.insert(p.id(), req.stepIndex(), req.stepName(), type, null, null);
            events.record(p.projectId(), p.id(), s.id(), "step_created", "step " + s.stepName() + " added",
                    Map.of("step_index", s.stepIndex(), "step_type", type.api()));
            return s;
        });
    }

    public ActionResult<StepRun> act(long stepId, StepAction action) {
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
                    Job job = driver.startStep(p, s, "run requested");
                    yield new ActionResult<>("step execution enqueued", steps.get(stepId), job);
                }
                case RUN_QA -> {
                    if (p.status() != ProtocolStatus.RUNNING) {
                        changes.protocol(p, ProtocolAction.STEP_STARTED, "protocol_running", "QA of " + s.stepName(),
                                Map.of("step_run_id", s.id()));
                    }
                    StepRun after = changes.step(p, s, StepAction.RUN_QA, "qa_requested", "QA requested", null, null);
                    yield new ActionResult<>("QA enqueued", after,
                            jobs.enqueue(JobType.RUN_QUALITY_JOB, p.projectId(), p.id(), s.id()));
                }
                case APPROVE -> {
                    steps.setQaVerdictSource(s.id(), "human");
                    StepRun after = changes.step(p, s, StepAction.APPROVE, "step_approved", "approved by a person", null,
                            Map.of("verdict_source", "human"));
                    Job next = driver.afterStepCompleted(p);
                    yield new ActionResult<>("step approved", after, next);
                }
                default -> throw new IllegalArgumentException(action + " is not a user action");
            };
        });
    }
}
