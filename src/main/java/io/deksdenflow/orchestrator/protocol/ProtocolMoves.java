package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.ConcurrentUpdateException;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.queue.Job;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The guard of every protocol and step status change, used inside the transactions of the phase
 * classes ({@link ProtocolLifecycle}, {@link PlanningLifecycle}, {@link StepLifecycle},
 * {@link QaLifecycle}, {@link CiLifecycle}, {@link BudgetLifecycle}, {@link JobLifecycle}): the transition table decides the target (or throws a 409), the store
 * applies it as a compare-and-set (a lost one throws {@link ConcurrentUpdateException}, and the
 * transaction re-runs from a fresh read), and the event — with from, to and action — is recorded in
 * the same transaction.
 */
@Component
class ProtocolMoves {
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final EventRecorder events;

    ProtocolMoves(ProtocolStore protocols, StepStore steps, EventRecorder events) {
        this.protocols = protocols;
        this.steps = steps;
        this.events = events;
    }

    /** Blocks the protocol (QA failure, CI failure, budget, invalid plan, final job failure) when it can be. */
    ProtocolRun block(ProtocolRun p, String eventType, String message, Map<String, ?> metadata) {
        ProtocolRun current = protocols.get(p.id());
        if (!ProtocolTransitions.allows(current.status(), ProtocolAction.BLOCK)) return current;
        protocols.setLastError(p.id(), message);
        return protocol(current, ProtocolAction.BLOCK, eventType, message, metadata);
    }

    /**
     * The one guard of every protocol status change: the table decides the target (or throws a 409),
     * the store applies it as a compare-and-set, the event records from, to and action.
     */
    ProtocolRun protocol(ProtocolRun p, ProtocolAction action, String eventType, String message, Map<String, ?> metadata) {
        ProtocolStatus to = ProtocolTransitions.next(p.status(), action, p.pausedFrom());
        ProtocolStatus pausedFrom = to == ProtocolStatus.PAUSED ? p.status() : null;
        if (to != p.status() || action.userFacing()) {
            if (!protocols.transition(p, to, pausedFrom)) throw new ConcurrentUpdateException("protocol " + p.id());
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("from", p.status().api());
        meta.put("to", to.api());
        meta.put("action", action.api());
        if (metadata != null) meta.putAll(metadata);
        events.record(p.projectId(), p.id(), null, eventType, message, meta);
        return protocols.get(p.id());
    }

    /** The one guard of every step status change (see {@link #protocol}). */
    StepRun step(ProtocolRun p, StepRun s, StepAction action, String eventType, String message,
                             String lastError, Map<String, ?> metadata) {
        StepStatus to = StepTransitions.next(s.status(), action);
        if (!steps.transition(s, to, lastError)) throw new ConcurrentUpdateException("step " + s.id());
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("from", s.status().api());
        meta.put("to", to.api());
        meta.put("action", action.api());
        meta.put("step_name", s.stepName());
        if (metadata != null) meta.putAll(metadata);
        events.record(p.projectId(), p.id(), s.id(), eventType, message, meta);
        return steps.get(s.id());
    }

    /** Records an event on the protocol run (inside the caller's transaction). */
    void record(long protocolId, Long stepId, String type, String message, Map<String, ?> meta) {
        ProtocolRun p = protocols.get(protocolId);
        events.record(p.projectId(), p.id(), stepId, type, message, meta);
    }

    /** A job found its target no longer in the expected state and did nothing ({@code job_skipped}). */
    void skipped(Job job, String reason) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("job_type", job.type().api());
        meta.put("reason", reason);
        events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_skipped",
                job.type().api() + " skipped: " + reason, meta);
    }
}
