package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Dependencies first: a protocol taken in from an issue that says "blocked by #N" / "depends on #N" (or that the
 * forge links as blocked) waits — it stays {@code pending}, with {@code waiting_for} naming the issues still open
 * — until they are closed. Each public method is one transaction with its event; the start that follows the last
 * one is the ordinary {@code start} action ({@link ProtocolLifecycle#act}).
 */
@Component
public class IntakeLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final EventRecorder events;

    IntakeLifecycle(Transactions tx, ProtocolStore protocols, EventRecorder events) {
        this.tx = tx;
        this.protocols = protocols;
        this.events = events;
    }

    /** The protocol waits for {@code issues} ({@code intake_waiting}); a change of the list is recorded again. */
    public void waitFor(long protocolId, List<Long> issues) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            if (protocols.waitingFor(protocolId).equals(issues)) return null;
            protocols.setWaitingFor(protocolId, issues);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("waiting_for", issues);
            events.record(p.projectId(), p.id(), null, "intake_waiting", "waits for " + names(issues) + " to be closed", meta);
            return null;
        });
    }

    /** Nothing is left to wait for ({@code intake_unblocked}, naming what it waited for). */
    public void unblocked(long protocolId, List<Long> closed) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            protocols.setWaitingFor(protocolId, null);
            events.record(p.projectId(), p.id(), null, "intake_unblocked", names(closed) + " closed: nothing left to wait for",
                    Map.of("closed", closed));
            return null;
        });
    }

    private static String names(List<Long> issues) {
        return String.join(", ", issues.stream().map(n -> "#" + n).toList());
    }
}
