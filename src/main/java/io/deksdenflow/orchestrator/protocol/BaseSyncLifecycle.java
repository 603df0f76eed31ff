package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.events.EventRecorder;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Protocols that stay mergeable (issue #23): a push to the base branch, a PR/MR the forge says conflicts, or an
 * open_pr_job asks for a sync of the protocol's branch with its base ({@link #requested}); the project's syncs run
 * one at a time, oldest protocol first ({@link BaseSyncQueue}). A clean update is {@code base_synced {from, to}}; a
 * conflict is {@code base_conflict {files}} and, while DEKSDENFLOW_CONFLICT_FIX_ATTEMPTS remain, a
 * {@code conflict_fix_job}; else the protocol is blocked naming the files. Each public method is one transaction.
 */
@Component
public class BaseSyncLifecycle {
    private final Transactions tx;
    private final ProtocolStore protocols;
    private final BaseSyncStore store;
    private final BaseSyncQueue queue;
    private final EventRecorder events;
    private final JobEnqueuer jobs;
    private final ProtocolMoves moves;
    private final BaseSyncSettings settings;

    BaseSyncLifecycle(Transactions tx, ProtocolStore protocols, BaseSyncStore store, BaseSyncQueue queue,
                      EventRecorder events, JobEnqueuer jobs, ProtocolMoves moves, BaseSyncSettings settings) {
        this.tx = tx;
        this.protocols = protocols;
        this.store = store;
        this.queue = queue;
        this.events = events;
        this.jobs = jobs;
        this.moves = moves;
        this.settings = settings;
    }

    /**
     * The protocol's branch should take in its base ({@code reason}: push, conflict, open_pr); {@code openPr}: an
     * open_pr_job follows the sync. Queued behind the project's other syncs.
     *
     * @return whether its sync_base_job was queued at once (the project's turn was free and it is the oldest)
     */
    public boolean requested(long protocolId, String reason, boolean openPr) {
        return tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            store.request(p.projectId(), p.id(), reason, openPr, Clock.now());
            return queue.next(p.projectId()) && store.find(p.id()).map(s -> !BaseSyncStore.WAITING.equals(s.state()))
                    .orElse(false);
        });
    }

    /** The branch already holds its base: nothing to do; an open_pr_job that waited goes ahead. */
    public void upToDate(long protocolId) {
        tx.inTx(() -> {
            queue.finish(protocolId, true);
            return null;
        });
    }

    /** The base was taken in cleanly and pushed ({@code base_synced {from, to}}). */
    public void synced(long protocolId, String from, String to, Map<String, ?> meta) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            Map<String, Object> m = new LinkedHashMap<>(meta);
            m.put("from", from);
            m.put("to", to);
            events.record(p.projectId(), p.id(), null, "base_synced", "took in " + meta.get("base_branch") + ": "
                    + shortSha(from) + " → " + shortSha(to), m);
            queue.finish(protocolId, true);
            return null;
        });
    }

    /**
     * Taking in the base conflicts in {@code files} (the merge was aborted): {@code base_conflict {files}}, then a
     * conflict_fix_job while attempts remain, else the protocol is blocked naming the files.
     */
    public void conflicted(long protocolId, List<String> files, Map<String, ?> meta) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            Map<String, Object> m = new LinkedHashMap<>(meta);
            m.put("files", files);
            m.put("max_attempts", settings.conflictFixAttempts());
            events.record(p.projectId(), p.id(), null, "base_conflict", "taking in " + meta.get("base_branch")
                    + " conflicts in " + String.join(", ", files), m);
            nextAttemptOrBlock(p, files);
            return null;
        });
    }

    /** A conflict fix turn begins ({@code conflict_fix_started}). */
    public void fixStarted(long protocolId, List<String> files, Map<String, ?> meta) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            int attempt = store.find(protocolId).map(BaseSyncStore.Sync::attempts).orElse(0);
            Map<String, Object> m = new LinkedHashMap<>(meta);
            m.put("files", files);
            m.put("attempt", attempt);
            m.put("max_attempts", settings.conflictFixAttempts());
            events.record(p.projectId(), p.id(), null, "conflict_fix_started", "conflict fix turn " + attempt + " of "
                    + settings.conflictFixAttempts() + " for " + String.join(", ", files), m);
            return null;
        });
    }

    /**
     * The turn did not resolve the conflict (markers left, the checks failed, nothing merged): nothing was pushed
     * ({@code conflict_fix_failed}); another turn while attempts remain, else the protocol is blocked.
     */
    public void fixFailed(long protocolId, List<String> files, String reason, Map<String, ?> meta) {
        tx.inTx(() -> {
            ProtocolRun p = protocols.get(protocolId);
            Map<String, Object> m = new LinkedHashMap<>(meta);
            m.put("files", files);
            m.put("reason", reason);
            events.record(p.projectId(), p.id(), null, "conflict_fix_failed", "conflict fix turn: " + reason, m);
            nextAttemptOrBlock(p, files);
            return null;
        });
    }

    /** The resolution was committed, passed the project's checks and was pushed ({@code base_synced}). */
    public void resolved(long protocolId, String from, String to, List<String> files, Map<String, ?> meta) {
        Map<String, Object> m = new LinkedHashMap<>(meta);
        m.put("resolved_files", files);
        synced(protocolId, from, to, m);
    }

    /** The job found nothing to sync (cancelled protocol, no branch on origin, sync off): recorded, the turn passes. */
    public void skipped(Job job, String reason) {
        tx.inTx(() -> {
            moves.skipped(job, reason);
            queue.finish(job.protocolRunId(), false);
            return null;
        });
    }

    /** The job stopped (cancelled): the turn passes on. */
    public void abandoned(long protocolId) {
        tx.inTx(() -> {
            queue.finish(protocolId, false);
            return null;
        });
    }

    public int maxAttempts() {
        return settings.conflictFixAttempts();
    }

    public Optional<BaseSyncStore.Sync> find(long protocolId) {
        return store.find(protocolId);
    }

    private void nextAttemptOrBlock(ProtocolRun p, List<String> files) {
        int spent = store.find(p.id()).map(BaseSyncStore.Sync::attempts).orElse(0);
        if (spent < settings.conflictFixAttempts()) {
            store.state(p.id(), BaseSyncStore.FIXING, spent + 1, files);
            jobs.enqueue(JobType.CONFLICT_FIX_JOB, p.projectId(), p.id(), null);
            return;
        }
        String message = "the branch conflicts with " + p.baseBranch() + " in " + String.join(", ", files)
                + (spent == 0 ? "" : " (" + spent + " conflict fix turn(s) did not resolve it)")
                + "; resolve it on the branch, then retry";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", files);
        m.put("reason", "base_conflict");
        moves.block(p, "protocol_blocked", message, m);
        protocols.setLastError(p.id(), message);
        queue.finish(p.id(), false);
    }

    static String shortSha(String sha) {
        return sha == null ? "(none)" : sha.substring(0, Math.min(12, sha.length()));
    }
}
