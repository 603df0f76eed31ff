package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.queue.JobType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Answering reviews (issue #22): a review comment from a permitted reviewer on a protocol's PR/MR opens (or
 * extends) its debounce window ({@code review_requested}); one {@code review_fix_job} per window answers every
 * comment that came in, as one fix turn, at most DEKSDENFLOW_REVIEW_FIX_ATTEMPTS turns per PR/MR. A turn is claimed
 * by the fingerprint of its comment set, so the same comments never start a second one. Each public method is one
 * transaction with its event.
 */
@Component
public class ReviewLifecycle {
    /** A job claimed this long ago and not done is taken for lost. */
    static final Duration LOST_AFTER = Duration.ofHours(2);

    private final Transactions tx;
    private final ProtocolStore protocols;
    private final ReviewStore store;
    private final EventRecorder events;
    private final JobEnqueuer jobs;
    private final ReviewSettings settings;

    ReviewLifecycle(Transactions tx, ProtocolStore protocols, ReviewStore store, EventRecorder events, JobEnqueuer jobs,
                    ReviewSettings settings) {
        this.tx = tx;
        this.protocols = protocols;
        this.store = store;
        this.events = events;
        this.jobs = jobs;
        this.settings = settings;
    }

    /**
     * A permitted reviewer commented on the protocol's PR/MR: the window ends DEKSDENFLOW_REVIEW_DEBOUNCE_SECONDS
     * from now, and a job is queued unless one is on its way.
     *
     * @return whether a job was queued
     */
    public boolean requested(long protocolId, long prNumber, Map<String, ?> meta) {
        return tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            long now = Clock.now();
            long due = now + settings.reviewDebounceSeconds() * 1000L;
            Map<String, Object> m = new LinkedHashMap<>(meta);
            m.put("pr_number", prNumber);
            m.put("due_at", Clock.iso(due));
            events.record(p.projectId(), p.id(), null, "review_requested",
                    "review comment from " + meta.get("author") + "; a fix turn follows after "
                            + settings.reviewDebounceSeconds() + " s without more", m);
            boolean queue = store.wait(protocolId, prNumber, due, now, now - LOST_AFTER.toMillis());
            if (queue) jobs.enqueue(JobType.REVIEW_FIX_JOB, p.projectId(), p.id(), null);
            return queue;
        });
    }

    /**
     * The window ending at {@code dueAt} is over and a job takes it. When a newer comment moved it meanwhile, the
     * window stays and the next job is queued for it (the comment found this job on its way and queued none).
     */
    public boolean windowTaken(long protocolId, long dueAt) {
        return tx.inTx(() -> {
            if (store.takeWait(protocolId, dueAt)) return true;
            if (store.findWait(protocolId).isPresent()) {
                ProtocolRun p = protocols.get(protocolId);
                jobs.enqueue(JobType.REVIEW_FIX_JOB, p.projectId(), p.id(), null);
            }
            return false;
        });
    }

    /** A fix turn for this comment set begins ({@code review_fix_started}); empty when one answered it already. */
    public Optional<ReviewStore.Fix> turnStarted(long protocolId, long prNumber, String fingerprint, List<String> comments,
                                                 Map<String, ?> meta) {
        return tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            int attempt = store.fixes(protocolId).size() + 1;
            Optional<ReviewStore.Fix> fix = store.claim(protocolId, prNumber, fingerprint, attempt, comments);
            if (fix.isPresent()) {
                Map<String, Object> m = new LinkedHashMap<>(meta);
                m.put("attempt", attempt);
                m.put("max_attempts", settings.reviewFixAttempts());
                m.put("comments", comments.size());
                m.put("fingerprint", fingerprint);
                events.record(p.projectId(), p.id(), null, "review_fix_started", "review fix turn " + attempt + " of "
                        + settings.reviewFixAttempts() + " answers " + comments.size() + " comment(s)", m);
            }
            return fix;
        });
    }

    /** Nothing for a turn to do ({@code review_fix_skipped} with the reason). */
    public void skipped(long protocolId, String reason) {
        record(protocolId, "review_fix_skipped", reason, Map.of("reason", reason));
    }

    /** The turn's fix passed the QA gate and was pushed ({@code review_fix_pushed}). */
    public void pushed(ReviewStore.Fix fix, String sha, String summary, Map<String, ?> meta) {
        tx.inTx(() -> {
            store.finish(fix.id(), ReviewStore.PUSHED, sha, summary);
            ProtocolRun p = protocols.get(fix.protocolRunId());
            events.record(p.projectId(), p.id(), null, "review_fix_pushed", "review fix turn " + fix.attempt() + " pushed "
                    + sha.substring(0, Math.min(12, sha.length())) + ": " + summary, meta);
            return null;
        });
    }

    /** The turn changed nothing, failed the QA gate or its run failed ({@code review_fix_failed}); nothing pushed. */
    public void failed(ReviewStore.Fix fix, String reason, Map<String, ?> meta) {
        tx.inTx(() -> {
            store.finish(fix.id(), ReviewStore.FAILED, null, reason);
            ProtocolRun p = protocols.get(fix.protocolRunId());
            Map<String, Object> m = new LinkedHashMap<>(meta);
            m.put("reason", reason);
            events.record(p.projectId(), p.id(), null, "review_fix_failed", "review fix turn " + fix.attempt() + ": " + reason, m);
            return null;
        });
    }

    /** Every turn is spent: the PR/MR is left to people ({@code review_fix_exhausted}, once). */
    public boolean exhausted(long protocolId, String label) {
        return tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            if (store.fixes(protocolId).stream().anyMatch(f -> ReviewStore.EXHAUSTED.equals(f.status()))) return false;
            store.markExhausted(protocolId);
            events.record(p.projectId(), p.id(), null, "review_fix_exhausted", "all " + settings.reviewFixAttempts()
                    + " review fix turns are spent; labelled " + label + " for a person", Map.of("label", label,
                    "attempts", settings.reviewFixAttempts()));
            return true;
        });
    }

    public int maxAttempts() {
        return settings.reviewFixAttempts();
    }

    private void record(long protocolId, String type, String message, Map<String, ?> meta) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            events.record(p.projectId(), p.id(), null, type, message, meta);
            return null;
        });
    }
}
