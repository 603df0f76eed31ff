package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.dispatch.JobEnqueuer;
import io.deksdenflow.orchestrator.queue.JobType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * One sync or conflict fix per project (repository) at a time, oldest protocol first, inside the caller's
 * transaction: {@link #next} gives the project's turn to its oldest waiting protocol and queues its
 * {@code sync_base_job}; {@link #finish} ends a protocol's sync and passes the turn on. A turn held longer than
 * {@link #LOST_AFTER} died with its worker and is taken back.
 */
@Component
class BaseSyncQueue {
    static final Duration LOST_AFTER = Duration.ofHours(2);

    private final BaseSyncStore store;
    private final JobEnqueuer jobs;

    BaseSyncQueue(BaseSyncStore store, JobEnqueuer jobs) {
        this.store = store;
        this.jobs = jobs;
    }

    /** Gives a free turn of the project to its oldest waiting protocol; whether a sync_base_job was queued. */
    boolean next(long projectId) {
        long now = Clock.now();
        Optional<BaseSyncStore.Slot> slot = store.slot(projectId);
        if (slot.isPresent()) {
            Optional<BaseSyncStore.Sync> holder = store.find(slot.get().protocolRunId());
            boolean lost = slot.get().claimedAt() < now - LOST_AFTER.toMillis();
            if (holder.isPresent() && !BaseSyncStore.WAITING.equals(holder.get().state()) && !lost) return false;
            store.release(projectId, slot.get().protocolRunId());
            holder.filter(h -> !BaseSyncStore.WAITING.equals(h.state())).ifPresent(h -> store.done(h.protocolRunId(), true, h.openPr()));
        }
        List<BaseSyncStore.Sync> waiting = store.waiting(projectId);
        if (waiting.isEmpty()) return false;
        BaseSyncStore.Sync first = waiting.get(0);
        if (!store.claim(projectId, first.protocolRunId(), now)) return false;
        store.state(first.protocolRunId(), BaseSyncStore.SYNCING, 0, List.of());
        jobs.enqueue(JobType.SYNC_BASE_JOB, projectId, first.protocolRunId(), null);
        return true;
    }

    /**
     * The protocol's sync is over (synced, resolved, blocked, skipped or failed): its row goes (or waits again when
     * the base moved meanwhile), the turn passes on; {@code openPr}: the open_pr_job that waited for it is queued.
     */
    void finish(long protocolRunId, boolean openPr) {
        Optional<BaseSyncStore.Sync> sync = store.find(protocolRunId);
        if (sync.isEmpty() || BaseSyncStore.WAITING.equals(sync.get().state())) return; // not running: nothing to end
        BaseSyncStore.Sync s = sync.get();
        boolean open = openPr && s.openPr();
        store.done(protocolRunId, s.again(), s.openPr() && !open);
        store.release(s.projectId(), protocolRunId);
        if (open) jobs.enqueue(JobType.OPEN_PR_JOB, s.projectId(), protocolRunId, null);
        next(s.projectId());
    }
}
