package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.queue.Job;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The pull request and CI loop of a protocol run: the draft PR/MR, CI results (what they do is decided
 * by {@link CiDecisions}), triage of CI failures and the auto-fix attempts. Each public method is one
 * transaction (see {@link ProtocolLifecycle} for the shape every phase shares).
 */
@Component
public class CiLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final StepStore steps;
    private final CiLoopStore ciLoop;
    private final EventRecorder events;
    private final ProtocolMoves moves;
    private final CiDecisions ci;

    CiLifecycle(Transactions tx, ProtocolStore protocols, StepStore steps, CiLoopStore ciLoop,
                EventRecorder events, ProtocolMoves moves, CiDecisions ci) {
        this.tx = tx;
        this.protocols = protocols;
        this.steps = steps;
        this.ciLoop = ciLoop;
        this.events = events;
        this.moves = moves;
        this.ci = ci;
    }

    /**
     * The draft change request is open at {@code url} ({@code pr_opened}); {@code number} is its number on
     * the forge; {@code shortName} is the forge's word for it ("PR", "MR").
     */
    public void prOpened(long protocolId, String url, Long number, String provider, String shortName) {
        tx.inTx(() -> {
            ProtocolRun run = protocols.get(protocolId);
            protocols.setPrUrl(protocolId, url);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("url", url);
            meta.put("provider", provider);
            if (number != null) {
                // some forges' CI hooks name only the change request's number (refs/merge-requests/<iid>/head)
                ciLoop.setPrNumber(protocolId, number);
                meta.put("number", number);
            }
            events.record(run.projectId(), protocolId, null, "pr_opened", "draft " + shortName + " open: " + url, meta);
            return null;
        });
    }

    // ---------------------------------------------------------------- CI

    /**
     * A CI or PR/MR result about one run: PR merged completes the protocol ({@code pr_merged}); a
     * result for an older commit is history ({@code ci_superseded}); success may move the step to QA
     * ({@code ci_passed} + run_quality_job); a failure blocks the step and protocol ({@code ci_failed}),
     * or, when the forge can tell what failed, claims the commit for triage ({@code ci_triage_queued} +
     * ci_triage_job). A transition the tables refuse throws a 409 ({@link #ciRefused} records it).
     */
    public CiResult.Applied ciResult(long protocolRunId, CiResult s) {
        return tx.inTx(() -> ci.apply(protocols.get(protocolRunId), s));
    }

    /** A CI result that could not be applied to a run ({@code ci_ignored}); the sender is never failed. */
    public CiResult.Applied ciRefused(long protocolRunId, CiResult s, String reason) {
        return tx.inTx(() -> {
            ProtocolRun run = protocols.get(protocolRunId);
            Map<String, Object> meta = new LinkedHashMap<>(s.metadata());
            meta.put("ignored", true);
            meta.put("reason", reason);
            events.record(run.projectId(), run.id(), null, "ci_ignored",
                    "CI " + s.description() + " not applied: " + reason, meta);
            return new CiResult.Applied(run.id(), null, "refused", run.status().api());
        });
    }

    /**
     * The CI failure a triage job works on: on a retry the one an earlier attempt took, else the oldest
     * waiting one, taken by compare-and-set (two jobs never share one). Empty when none waits.
     */
    public Optional<CiLoopStore.Fix> ciTriageTaken(long protocolId, boolean retry) {
        if (retry) {
            Optional<CiLoopStore.Fix> taken = ciLoop.oldest(protocolId, CiLoopStore.TRIAGING);
            if (taken.isPresent()) return taken;
        }
        while (true) {
            Optional<CiLoopStore.Fix> queued = ciLoop.oldest(protocolId, CiLoopStore.QUEUED);
            if (queued.isEmpty()) return Optional.empty();
            long id = queued.get().id();
            if (tx.inTx(() -> ciLoop.transition(id, CiLoopStore.QUEUED, CiLoopStore.TRIAGING))) {
                return Optional.of(ciLoop.get(id));
            }
        }
    }

    /**
     * Triage fetched a CI failure's {@code failures} (and asked for a re-run when {@code rerun}, which
     * {@code rerunProblem} says failed): re-run requested ({@code ci_rerun_requested}); or, while the
     * step has fix attempts left, the step is blocked and a ci_fix_job enqueued; else the protocol is
     * blocked ({@code ci_fix_exhausted}, or {@code ci_failed} with auto-fix off). Only reported
     * ({@code ci_failed}) when the protocol moved on meanwhile.
     */
    public void ciTriaged(long fixId, List<Map<String, Object>> failures, boolean rerun, String rerunProblem) {
        tx.inTx(() -> {
            ci.triaged(ciLoop.get(fixId), failures, rerun, rerunProblem);
            return null;
        });
    }

    /** A CI fix job found nothing to do (the protocol or step moved on): {@code job_skipped}. */
    public void ciFixSkipped(long fixId, Job job, String reason) {
        tx.inTx(() -> {
            ciLoop.transition(fixId, CiLoopStore.FIXING, CiLoopStore.SKIPPED);
            moves.skipped(job, reason);
            return null;
        });
    }

    /** An auto-fix attempt starts ({@code ci_fix_started}). */
    public void ciFixStarted(long fixId, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            CiLoopStore.Fix row = ciLoop.get(fixId);
            ProtocolRun run = protocols.get(row.protocolRunId());
            events.record(run.projectId(), run.id(), row.stepRunId(), "ci_fix_started", message, meta);
            return null;
        });
    }

    /** An auto-fix attempt changed nothing: the protocol is blocked ({@code ci_fix_failed}). */
    public void ciFixFailed(long fixId, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            CiLoopStore.Fix row = ciLoop.get(fixId);
            ciLoop.transition(fixId, CiLoopStore.FIXING, CiLoopStore.FIX_FAILED);
            moves.block(protocols.get(row.protocolRunId()), "ci_fix_failed", message, meta);
            return null;
        });
    }

    /**
     * An auto-fix was committed as {@code sha} and pushed ({@code ci_fix_pushed}): the step's work now
     * ends at the fix, so CI on this commit reports on this step.
     */
    public void ciFixPushed(long fixId, String sha, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            CiLoopStore.Fix row = ciLoop.get(fixId);
            ProtocolRun run = protocols.get(row.protocolRunId());
            ciLoop.setFixSha(fixId, sha);
            ciLoop.transition(fixId, CiLoopStore.FIXING, CiLoopStore.PUSHED);
            steps.markExecuted(row.stepRunId(), sha, protocols.nextExecSeq(run.id()));
            events.record(run.projectId(), run.id(), row.stepRunId(), "ci_fix_pushed", message, meta);
            return null;
        });
    }
}
