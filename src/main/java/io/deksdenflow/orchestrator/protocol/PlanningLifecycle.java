package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Transactions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The planning phase of a protocol run: its worktree, its committed plan (steps created, protocol
 * planned, first step started with auto_advance) or a rejected plan. Each public method is one
 * transaction (see {@link ProtocolLifecycle} for the shape every phase shares).
 */
@Component
public class PlanningLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final ProtocolMoves moves;
    private final StepProgress progress;

    PlanningLifecycle(Transactions tx, ProtocolStore protocols, StepStore steps, ProtocolMoves moves,
                      StepProgress progress) {
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.moves = moves;
        this.progress = progress;
    }

    /** A step of the plan: its file name and type. */
    public record PlannedStep(String name, StepType type) {}

    /** The planning job prepared the protocol's worktree at {@code path}. */
    public void worktreeReady(long protocolId, String path) {
        tx.inTx(() -> {
            protocols.setWorktree(protocolId, path);
            return null;
        });
    }

    /** {@link #planned} without plan approval. */
    public void planned(long protocolId, List<PlannedStep> planned, Map<String, ?> meta) {
        planned(protocolId, planned, meta, false);
    }

    /**
     * The plan is committed: its steps are created (those not there yet) and the feedback it read is
     * no longer pending. With {@code approvalRequired} (plan_approval: required) the plan waits for a
     * person ({@code plan_ready} with the step list and the protocol's cost so far; shown as planned)
     * and nothing starts; otherwise the protocol is planned ({@code planned}) and, with auto_advance,
     * its first step starts. Nothing when the protocol left planning meanwhile (paused or cancelled).
     */
    public void planned(long protocolId, List<PlannedStep> planned, Map<String, ?> meta, boolean approvalRequired) {
        tx.inTx(() -> {
            ProtocolRun current = protocols.get(protocolId);
            if (current.status() != ProtocolStatus.PLANNING) return null;
            List<StepRun> before = steps.allOf(protocolId);
            Set<String> existing = before.stream().map(StepRun::stepName).collect(Collectors.toSet());
            int index = before.stream().mapToInt(StepRun::stepIndex).max().orElse(-1) + 1;
            for (PlannedStep s : planned) {
                if (!existing.contains(s.name())) {
                    steps.insert(protocolId, index++, s.name(), s.type(), null, null);
                }
            }
            if (current.planFeedback() != null) protocols.clearPlanFeedback(protocolId);
            if (meta.get("question") instanceof String question) {
                // the planning agent asked: the plan waits for a person whatever plan_approval says
                moves.record(protocolId, null, "agent_question", "the planning agent asks: " + question,
                        Map.of("question", question, "phase", "planning"));
            }
            if (approvalRequired || meta.get("question") != null) {
                Map<String, Object> ready = new LinkedHashMap<>(meta);
                ready.put("steps", steps.allOf(protocolId).stream().map(s -> Map.of("step_name", s.stepName(),
                        "step_type", s.stepType().api(), "step_run_id", s.id())).toList());
                ready.put("tokens_used", current.tokensUsed());
                ready.put("cost_usd", current.costUsd());
                ready.put("replans", current.replans());
                moves.protocol(current, ProtocolAction.PLAN_READY, "plan_ready",
                        "plan of " + planned.size() + " steps waits for approval (approve_plan or reject_plan)", ready);
                return null;
            }
            ProtocolRun after = moves.protocol(current, ProtocolAction.PLAN_DONE, "planned", "planned " + planned.size() + " steps", meta);
            progress.advance(after);
            return null;
        });
    }

    /** The planning answer was rejected: the protocol is blocked ({@code plan_invalid}). */
    public void planInvalid(long protocolId, String reason, Map<String, ?> meta) {
        tx.inTx(() -> {
            moves.block(protocols.get(protocolId), "plan_invalid", "the planning answer was rejected: " + reason, meta);
            return null;
        });
    }
}
