package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * How a protocol's steps get going, shared by the phases (user actions, planning, QA): start a
 * step, advance to the next one with auto_advance, complete the protocol after its last step.
 * Runs inside the caller's transaction; status changes go through {@link ProtocolMoves}.
 */
@Component
class StepProgress {
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final JobEnqueuer jobs;
    private final ProtocolMoves moves;

    StepProgress(ProtocolStore protocols, StepStore steps, JobEnqueuer jobs, ProtocolMoves moves) {
        this.protocols = protocols;
        this.steps = steps;
        this.jobs = jobs;
        this.moves = moves;
    }

    /** Puts a step into running (and its protocol too) and enqueues its execution. */
    Job startStep(ProtocolRun p, StepRun s, String reason) {
        return startStep(p, s, StepAction.RUN, "step_started", "step " + s.stepName() + " started (" + reason + ")", null);
    }

    /** {@link #startStep(ProtocolRun, StepRun, String)} by {@code action}, recorded as {@code eventType}. */
    Job startStep(ProtocolRun p, StepRun s, StepAction action, String eventType, String message, Map<String, ?> meta) {
        ProtocolRun current = protocols.get(p.id());
        if (current.status() != ProtocolStatus.RUNNING) {
            current = moves.protocol(current, ProtocolAction.STEP_STARTED, "protocol_running", "running step " + s.stepName(),
                    Map.of("step_run_id", s.id()));
        }
        if (s.status() != StepStatus.RUNNING) {
            moves.step(current, s, action, eventType, message, null, meta);
        }
        return jobs.enqueue(JobType.EXECUTE_STEP_JOB, p.projectId(), p.id(), s.id());
    }

    /** Resume after a pause: re-enqueue the executions the pause interrupted, or advance. */
    Job resumeInterrupted(ProtocolRun p) {
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
     * or cancelled ({@code protocol_completed}; an intake protocol running with auto_advance then opens its draft
     * PR/MR when it has none), else start the next pending step when auto_advance is on.
     */
    Job afterStepCompleted(ProtocolRun p) {
        ProtocolRun current = protocols.get(p.id());
        List<StepRun> all = steps.allOf(p.id());
        boolean allDone = !all.isEmpty() && all.stream()
                .allMatch(s -> s.status() == StepStatus.COMPLETED || s.status() == StepStatus.CANCELLED);
        if (allDone) {
            if (ProtocolTransitions.allows(current.status(), ProtocolAction.COMPLETE)) {
                moves.protocol(current, ProtocolAction.COMPLETE, "protocol_completed", "every step completed", Map.of("steps", all.size()));
                // an issue's protocol that ran by itself ends where its people review: the draft PR/MR
                if (current.issueNumber() != null && current.autoAdvance() && current.prUrl() == null) {
                    return jobs.enqueue(JobType.OPEN_PR_JOB, current.projectId(), current.id(), null);
                }
            }
            return null;
        }
        return advance(current);
    }

    /** With auto_advance: start the next pending step unless one is already running. */
    Job advance(ProtocolRun p) {
        if (!p.autoAdvance() || !StepTransitions.protocolAllowsStepWork(p.status())) return null;
        List<StepRun> all = steps.allOf(p.id());
        if (all.stream().anyMatch(s -> s.status() == StepStatus.RUNNING)) return null;
        Optional<StepRun> next = all.stream().filter(s -> s.status() == StepStatus.PENDING).findFirst();
        return next.map(s -> startStep(p, s, "auto_advance")).orElse(null);
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
}
