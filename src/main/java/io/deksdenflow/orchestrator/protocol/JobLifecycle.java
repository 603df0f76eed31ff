package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A job's outcome for its protocol run: skipped (its target moved on), failed for good (step failed,
 * protocol blocked) or cancelled. Each public method is one transaction (see {@link ProtocolLifecycle}
 * for the shape every phase shares).
 */
@Component
public class JobLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final EventRecorder events;
    private final ProtocolMoves moves;
    private final BaseSyncQueue baseSyncs;

    JobLifecycle(Transactions tx, ProtocolStore protocols, StepStore steps, EventRecorder events,
                 ProtocolMoves moves, BaseSyncQueue baseSyncs) {
        this.baseSyncs = baseSyncs;
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.events = events;
        this.moves = moves;
    }

    /** A job found its target no longer in the expected state and did nothing ({@code job_skipped}). */
    public void jobSkipped(Job job, String reason) {
        tx.inTx(() -> {
            moves.skipped(job, reason);
            return null;
        });
    }

    /**
     * A job failed for good ({@code job_failed}, after the untrusted-content event when that was the
     * cause): its step fails ({@code step_failed}) and the protocol is blocked; an open_pr_job only
     * leaves its error on the protocol, and so does a sync_base_job (a conflict_fix_job blocks); either passes its
     * project's sync turn on.
     */
    public void jobFailed(Job job, Throwable error, Map<String, ?> meta) {
        String message = job.type().api() + " failed: " + error.getMessage();
        UntrustedContentException untrusted = UntrustedContentException.in(error);
        tx.inTx(() -> {
            if (untrusted != null) {
                events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), untrusted.eventType(),
                        untrusted.getMessage(), meta);
            }
            events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_failed", message, meta);
            if (job.protocolRunId() == null) return null;
            if (job.type() == JobType.SYNC_BASE_JOB || job.type() == JobType.CONFLICT_FIX_JOB) {
                baseSyncs.finish(job.protocolRunId(), false);
            }
            if (job.type() == JobType.OPEN_PR_JOB || job.type() == JobType.NOOP_JOB || job.type() == JobType.SYNC_BASE_JOB) {
                protocols.setLastError(job.protocolRunId(), message);
                return null;
            }
            ProtocolRun p = protocols.get(job.protocolRunId());
            if (job.stepRunId() != null) {
                StepRun s = steps.get(job.stepRunId());
                if (StepTransitions.allows(s.status(), StepAction.FAIL)) {
                    moves.step(p, s, StepAction.FAIL, "step_failed", message, error.getMessage(), meta);
                }
            }
            moves.block(p, "protocol_blocked", message, meta);
            return null;
        });
    }

    /** A job stopped by pause, cancel or a paused budget ({@code job_cancelled}); the action already changed the state. */
    public void jobCancelled(Job job, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            events.record(job.projectId(), job.protocolRunId(), job.stepRunId(), "job_cancelled", message, meta);
            if (job.type() == JobType.SYNC_BASE_JOB || job.type() == JobType.CONFLICT_FIX_JOB) {
                baseSyncs.finish(job.protocolRunId(), false); // its project's sync turn passes on
            }
            return null;
        });
    }
}
