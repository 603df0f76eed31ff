package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.queue.JobType;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The execution phase of a step: its start commit, its committed work (step → needs_qa), the branch
 * head a push leaves and the engine that runs it. Each public method is one transaction (see
 * {@link ProtocolLifecycle} for the shape every phase shares).
 */
@Component
public class StepLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final CiLoopStore ciLoop;
    private final JobEnqueuer jobs;
    private final AutomationSettings settings;
    private final ProtocolMoves moves;

    StepLifecycle(Transactions tx, ProtocolStore protocols, StepStore steps, CiLoopStore ciLoop,
                  JobEnqueuer jobs, AutomationSettings settings, ProtocolMoves moves) {
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.ciLoop = ciLoop;
        this.jobs = jobs;
        this.settings = settings;
        this.moves = moves;
    }

    /** An execution job starts a step at {@code headSha} (the commit a retry resets to, and a CI fix diffs from). */
    public void execStarting(long stepId, String jobId, String headSha) {
        tx.inTx(() -> {
            steps.setExecStart(stepId, jobId, headSha);
            ciLoop.setStepStart(stepId, headSha);
            return null;
        });
    }

    /**
     * The step's work is committed as {@code sha} and pushed: step → needs_qa ({@code step_executed}),
     * and its QA is enqueued when DEKSDENFLOW_AUTO_QA_AFTER_EXEC is on. Nothing when the step or the
     * protocol stopped running meanwhile.
     */
    public void stepExecuted(long stepId, String sha, Map<String, ?> meta) {
        tx.inTx(() -> {
            StepRun current = steps.get(stepId);
            // the push that put sha on the branch (see pushed), in the outcome's transaction: one per outcome
            ciLoop.setHead(current.protocolRunId(), sha);
            ProtocolRun protocol = protocols.get(current.protocolRunId());
            if (current.status() != StepStatus.RUNNING || protocol.status() != ProtocolStatus.RUNNING) return null;
            steps.markExecuted(stepId, sha, protocols.nextExecSeq(protocol.id()));
            moves.step(protocol, current, StepAction.EXEC_DONE, "step_executed", "step " + current.stepName() + " executed",
                    null, meta);
            if (settings.autoQaAfterExec()) {
                jobs.enqueue(JobType.RUN_QUALITY_JOB, protocol.projectId(), protocol.id(), stepId);
            }
            return null;
        });
    }

    /** The protocol's branch was pushed at {@code sha}: CI results for older commits are superseded from now on. */
    public void pushed(long protocolId, String sha) {
        tx.inTx(() -> {
            ciLoop.setHead(protocolId, sha);
            return null;
        });
    }

    /** The engine and model that execute a step. */
    public void stepEngine(long stepId, String engine, String model) {
        tx.inTx(() -> {
            steps.setEngine(stepId, engine, model);
            return null;
        });
    }
}
