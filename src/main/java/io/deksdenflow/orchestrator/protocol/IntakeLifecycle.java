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
    private final ProtocolLifecycle lifecycle;

    IntakeLifecycle(Transactions tx, ProtocolStore protocols, EventRecorder events, ProtocolLifecycle lifecycle) {
        this.tx = tx;
        this.protocols = protocols;
        this.events = events;
        this.lifecycle = lifecycle;
    }

    /**
     * A protocol taken in from a forge issue: created ({@code protocol_created}) and recorded as the issue's
     * ({@code intake_created} with {@code meta}) in one transaction. A second protocol for the same issue is a
     * {@code ConflictException} from the unique issue index.
     */
    public ProtocolRun takenIn(ProtocolStore.NewProtocol row, long issueNumber, Map<String, ?> meta) {
        return tx.inTx(() -> {
            ProtocolRun p = protocols.insert(row);
            events.record(p.projectId(), p.id(), null, "protocol_created", "protocol " + p.protocolName() + " created",
                    Map.of("protocol_name", p.protocolName(), "base_branch", p.baseBranch(), "auto_advance", p.autoAdvance()));
            events.record(p.projectId(), p.id(), null, "intake_created",
                    "protocol " + p.protocolName() + " taken in from issue #" + issueNumber, meta);
            return p;
        });
    }

    /** Its issue lost the label or was closed: the pause action and {@code intake_paused}, in one transaction. */
    public void paused(long protocolId, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            lifecycle.act(protocolId, ProtocolAction.PAUSE);
            events.record(p.projectId(), p.id(), null, "intake_paused", message, meta);
            return null;
        });
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
