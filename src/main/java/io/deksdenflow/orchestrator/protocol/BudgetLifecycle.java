package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.queue.Job;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What an engine call's usage and limits do to a protocol run: usage added to the totals, warnings,
 * overruns, egress refusals, a pause until the budget is raised, or a strict refusal that blocks
 * step and protocol. Each public method is one transaction (see {@link ProtocolLifecycle} for the
 * shape every phase shares; raise_budget is a user action there).
 */
@Component
public class BudgetLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final EventRecorder events;
    private final ProtocolMoves moves;

    BudgetLifecycle(Transactions tx, ProtocolStore protocols, StepStore steps, EventRecorder events,
                    ProtocolMoves moves) {
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.events = events;
        this.moves = moves;
    }

    /** An engine call's tokens and cost, added to the protocol's (and step's) totals. */
    public void usage(long protocolId, Long stepId, long tokens, Double costUsd) {
        tx.inTx(() -> {
            protocols.addUsage(protocolId, tokens, costUsd);
            if (stepId != null) steps.addUsage(stepId, tokens, costUsd);
            return null;
        });
    }

    /** A budget in warn mode let a call through that passes a limit ({@code budget_warning}). */
    public void budgetWarning(long protocolId, Long stepId, String reason, Map<String, ?> meta) {
        recordEvent(protocolId, stepId, "budget_warning", reason, meta);
    }

    /** An agent's connection was refused by its egress path ({@code agent_egress_denied}, meta host and port). */
    public void egressDenied(long protocolId, Long stepId, String message, Map<String, ?> meta) {
        recordEvent(protocolId, stepId, "agent_egress_denied", message, meta);
    }

    /** A call's real usage passed a limit: the next call is refused ({@code budget_overrun}). */
    public void budgetOverrun(long protocolId, Long stepId, String message, Map<String, ?> meta) {
        recordEvent(protocolId, stepId, "budget_overrun", message, meta);
    }

    /**
     * A budget in pause mode refused a call: {@code budget_exceeded}, and the protocol pauses with
     * {@code hold} (what raise_budget resumes) when it can.
     */
    public void budgetPaused(long protocolId, Long stepId, String reason, Map<String, ?> meta, Map<String, ?> hold) {
        tx.inTx(() -> {
            ProtocolRun current = protocols.get(protocolId);
            events.record(current.projectId(), current.id(), stepId, "budget_exceeded", reason, meta);
            if (ProtocolTransitions.allows(current.status(), ProtocolAction.BUDGET_PAUSE)) {
                protocols.setBudgetHold(protocolId, hold);
                moves.protocol(current, ProtocolAction.BUDGET_PAUSE, "protocol_paused",
                        "paused until the budget is raised: " + reason, Map.of("budget_exceeded", hold));
            }
            return null;
        });
    }

    /**
     * A strict budget refused a call and so failed {@code job}: the step is blocked
     * ({@code step_blocked}), {@code budget_exceeded}, the protocol is blocked ({@code protocol_blocked})
     * and {@code job_failed} — once, in one transaction.
     */
    public void budgetExceeded(Job job, String reason, Map<String, ?> budgetMeta, Map<String, ?> failureMeta) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(job.protocolRunId());
            if (job.stepRunId() != null) {
                StepRun s = steps.get(job.stepRunId());
                if (StepTransitions.allows(s.status(), StepAction.BLOCK)) {
                    moves.step(p, s, StepAction.BLOCK, "step_blocked", reason, reason, budgetMeta);
                }
            }
            events.record(p.projectId(), p.id(), job.stepRunId(), "budget_exceeded", reason, budgetMeta);
            moves.block(p, "protocol_blocked", "token budget exceeded: " + reason, budgetMeta);
            events.record(p.projectId(), p.id(), job.stepRunId(), "job_failed",
                    job.type().api() + " failed: " + reason, failureMeta);
            return null;
        });
    }

    private void recordEvent(long protocolId, Long stepId, String type, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            moves.record(protocolId, stepId, type, message, meta);
            return null;
        });
    }
}
