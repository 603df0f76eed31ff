package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Moves a protocol along: starts steps, completes the protocol when every step is done, advances
 * to the next step when auto_advance is on. Called inside a transaction.
 */
@Component
public class ProtocolDriver {
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final StateChanges changes;
    private final JobEnqueuer jobs;

    public ProtocolDriver(ProtocolStore protocols, StepStore steps, StateChanges changes, JobEnqueuer jobs) {
        this.protocols = protocols;
        this.steps = steps;
        this.changes = changes;
        this.jobs = jobs;
    }

    /** Puts a step into running (and its protocol too) and enqueues its execution. */
    public Job startStep(ProtocolRun p, StepRun s, String reason) {
        ProtocolRun current = protocols.get(p.id());
        if (current.status() != ProtocolStatus.RUNNING) {
            current = changes.protocol(current, ProtocolAction.STEP_STARTED, "protocol_running",
                    "running step " + s.stepName(), Map.of("step_run_id", s.id()));
        }
        if (s.status() != StepStatus.RUNNING) {
            changes.step(current, s, StepAction.RUN, "step_started", "step " + s.stepName() + " started (" + reason + ")", null, null);
        }
        return jobs.enqueue(JobType.EXECUTE_STEP_JOB, p.projectId(), p.id(), s.id());
    }

    /** Resume after a pause: re-enqueue the executions the pause interrupted, or advance. */
    public Job resumeInterrupted(ProtocolRun p) {
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
     * or cancelled, else start the next pending step when auto_advance is on.
     */
    public Job afterStepCompleted(ProtocolRun p) {
        ProtocolRun current = protocols.get(p.id());
        List<StepRun> all = steps.allOf(p.id());
        boolean allDone = !all.isEmpty() && all.stream()
                .allMatch(s -> s.status() == StepStatus.COMPLETED || s.status() == StepStatus.CANCELLED);
        if (allDone) {
            if (ProtocolTransitions.allows(current.status(), ProtocolAction.COMPLETE)) {
                changes.protocol(current, ProtocolAction.COMPLETE, "protocol_completed",
                        "every step completed", Map.of("steps", all.size()));
            }
            return null;
        }
        return advance(current);
    }

    /** With auto_advance: start the next pending step unless one is already running. */
    public Job advance(ProtocolRun p) {
        if (!p.autoAdvance() || !StepTransitions.protocolAllowsStepWork(p.status())) return null;
        List<StepRun> all = steps.allOf(p.id());
        if (all.stream().anyMatch(s -> s.status() == StepStatus.RUNNING)) return null;
        Optional<StepRun> next = all.stream().filter(s -> s.status() == StepStatus.PENDING).findFirst();
        return next.map(s -> startStep(p, s, "auto_advance")).orElse(null);
    }

    /** Blocks the protocol (QA failure, CI failure, budget, invalid plan, final job failure). */
    public ProtocolRun block(ProtocolRun p, String eventType, String message, Map<String, ?> metadata) {
        ProtocolRun current = protocols.get(p.id());
        if (!ProtocolTransitions.allows(current.status(), ProtocolAction.BLOCK)) return current;
        protocols.setLastError(p.id(), message);
        return changes.protocol(current, ProtocolAction.BLOCK, eventType, message, metadata);
    }
}
