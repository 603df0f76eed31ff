package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.ConcurrentUpdateException;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The one guard every protocol and step status change goes through: the transition table decides
 * the target (or throws a 409), the store applies it as a compare-and-set, and the event is
 * recorded in the same transaction. Must be called inside a transaction.
 */
@Component
public class StateChanges {
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final EventRecorder events;

    public StateChanges(ProtocolStore protocols, StepStore steps, EventRecorder events) {
        this.protocols = protocols;
        this.steps = steps;
        this.events = events;
    }

    public ProtocolRun protocol(ProtocolRun p, ProtocolAction action, String eventType, String message,
                                Map<String, ?> metadata) {
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

    public StepRun step(ProtocolRun p, StepRun s, StepAction action, String eventType, String message,
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

    public void recordCreated(ProtocolRun p) {
        events.record(p.projectId(), p.id(), null, "protocol_created", "protocol " + p.protocolName() + " created",
                Map.of("protocol_name", p.protocolName(), "base_branch", p.baseBranch(), "auto_advance", p.autoAdvance()));
    }
}
