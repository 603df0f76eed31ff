package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The QA phase of a step: the declared checks' results and the verdict (pass completes the step and
 * moves the protocol on; fail fails the step and blocks the protocol). Each public method is one
 * transaction (see {@link ProtocolLifecycle} for the shape every phase shares).
 */
@Component
public class QaLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final EventRecorder events;
    private final ProtocolMoves moves;
    private final StepProgress progress;
    private final CiLoopStore ciLoop;

    QaLifecycle(Transactions tx, ProtocolStore protocols, StepStore steps, EventRecorder events,
                ProtocolMoves moves, StepProgress progress, CiLoopStore ciLoop) {
        this.ciLoop = ciLoop;
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.events = events;
        this.moves = moves;
        this.progress = progress;
    }

    /** The declared checks ran for a step: results stored with it ({@code qa_checks}). */
    public void qaChecks(long stepId, List<CheckResult> results, Map<String, ?> meta) {
        tx.inTx(() -> {
            StepRun s = steps.get(stepId);
            ProtocolRun p = protocols.get(s.protocolRunId());
            long failed = results.stream().filter(r -> !r.passed()).count();
            steps.setQaChecks(stepId, results);
            events.record(p.projectId(), p.id(), stepId, "qa_checks", failed == 0
                    ? "all " + results.size() + " checks passed for " + s.stepName()
                    : failed + " of " + results.size() + " checks failed for " + s.stepName(), meta);
            return null;
        });
    }

    /**
     * A QA verdict. {@code report} is stored with the step; {@code failedChecks} are the failures of
     * the declared checks (they decided a fail).
     */
    public record QaVerdict(boolean passed, String verdict, String source, String reason, String findings,
                            List<String> failedChecks, String report) {}

    /**
     * QA decided: pass completes the step ({@code qa_passed}) and moves the protocol on (completes it,
     * or auto-advances); fail fails the step ({@code qa_failed}) and blocks the protocol. Nothing when
     * the step left needs_qa or its protocol takes no step work meanwhile.
     */
    public void qaVerdict(long stepId, QaVerdict v, Map<String, ?> metadata) {
        qaVerdict(stepId, v, metadata, null);
    }

    /**
     * The same, after a push of {@code pushedSha} (the report's commit; null: none) that this transaction records as
     * the branch head ({@link StepLifecycle#pushed}): one transaction for the outcome.
     */
    public void qaVerdict(long stepId, QaVerdict v, Map<String, ?> metadata, String pushedSha) {
        tx.inTx(() -> {
            StepRun current = steps.get(stepId);
            if (pushedSha != null) ciLoop.setHead(current.protocolRunId(), pushedSha);
            ProtocolRun protocol = protocols.get(current.protocolRunId());
            if (current.status() != StepStatus.NEEDS_QA || !StepTransitions.protocolAllowsStepWork(protocol.status())) {
                return null;
            }
            Map<String, Object> meta = new LinkedHashMap<>(metadata);
            steps.setQa(stepId, v.verdict(), v.report());
            steps.setQaVerdictSource(stepId, v.source());
            if (v.passed()) {
                moves.step(protocol, current, StepAction.QA_PASSED, "qa_passed", "QA passed for " + current.stepName(), null, meta);
                progress.afterStepCompleted(protocol);
            } else {
                meta.put("findings", v.findings());
                if (v.failedChecks() != null && !v.failedChecks().isEmpty()) meta.put("failed_checks", v.failedChecks());
                moves.step(protocol, current, StepAction.QA_FAILED, "qa_failed", "QA failed for " + current.stepName()
                        + ": " + v.reason(), v.reason(), meta);
                moves.block(protocol, "protocol_blocked", "QA failed for " + current.stepName(), Map.of("step_run_id", stepId));
            }
            return null;
        });
    }
}
