package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The {@code worker-claim} route's bean: waits for free slots, then claims that many jobs in one go —
 * due retries promoted, expired leases taken over, then new stream entries (a blocking read on its own
 * connection). Runs on the route's single polling thread. Its connection is closed once Camel has stopped
 * the route and before the connection factory stops (a lifecycle phase between the two), so that closing it
 * never meets a client that is already shut down.
 */
final class WorkerClaimer implements AutoCloseable, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(WorkerClaimer.class);
    static final Duration BLOCK = Duration.ofMillis(100);
    static final Duration SLOT_WAIT = Duration.ofMillis(200);
    static final long MAINTENANCE_EVERY_MS = 250;
    static final long TRIM_EVERY_MS = 10_000;

    private final RedisJobQueue queue;
    private final RedisConnectionFactory connections;
    private final RunningJobs running;
    private final JobPerformer performer;
    private final Duration lease;
    private final Duration finishedTtl;
    private final int finishedMax;
    private final int maxBatch;
    private RedisConnection connection;
    /** The pool threads' own connections for {@link #claimNext} (blocking reads). */
    private final Map<Thread, RedisConnection> poolConnections = new ConcurrentHashMap<>();
    private long nextMaintenance;
    private long nextTrim;
    private long quietUntil;
    private volatile boolean lifecycleRunning;

    WorkerClaimer(RedisJobQueue queue, RedisConnectionFactory connections, RunningJobs running,
                  JobPerformer performer, Duration lease, Duration finishedTtl, int finishedMax, int maxBatch) {
        this.queue = queue;
        this.connections = connections;
        this.running = running;
        this.performer = performer;
        this.lease = lease;
        this.finishedTtl = finishedTtl;
        this.finishedMax = finishedMax;
        this.maxBatch = maxBatch;
    }

    List<ClaimedJob> claim() throws InterruptedException {
        int slots = running.acquireSlots(maxBatch, SLOT_WAIT);
        List<ClaimedJob> claimed = new ArrayList<>(slots);
        try {
            maintain(claimed, slots); // also without a free slot: due retries are promoted for every worker
            int left = slots - claimed.size();
            if (left > 0) claimed.addAll(queue.claim(connection(), running.workerId(), left, claimed.isEmpty() ? BLOCK : null));
        } catch (RuntimeException e) {
            closeConnection();
            long now = Clock.now();
            if (now >= quietUntil) {
                log.warn("claiming jobs failed (retrying): {}", NestedExceptionUtils.getMostSpecificCause(e).toString());
                quietUntil = now + 30_000;
            }
            Thread.sleep(500);
        } finally {
            claimed.forEach(running::hold);
            running.releaseSlots(slots - claimed.size());
        }
        return claimed;
    }

    /**
     * For a pool thread whose run of jobs just ended: waits up to {@link #BLOCK} for the next new job itself (on
     * its own connection), so that a job arriving now starts on this thread, without the hand-off from
     * {@code worker-claim}. Null when none came, no slot was free, the worker is stopping, or Redis failed (the
     * claim route reports that; an entry read but never started is taken over after a lease).
     */
    ClaimedJob claimNext() {
        if (!running.accepting()) return null;
        try {
            if (running.acquireSlots(1, Duration.ZERO) == 0) return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        ClaimedJob job = null;
        try {
            List<ClaimedJob> got = queue.claim(poolConnection(), running.workerId(), 1, BLOCK);
            if (!got.isEmpty()) job = got.get(0);
        } catch (RuntimeException e) {
            closeQuietly(poolConnections.remove(Thread.currentThread()));
        } finally {
            if (job != null) running.hold(job);
            else running.releaseSlots(1);
        }
        return job;
    }

    private void maintain(List<ClaimedJob> claimed, int slots) {
        long now = Clock.now();
        if (now < nextMaintenance) return;
        nextMaintenance = now + MAINTENANCE_EVERY_MS;
        queue.promoteDue(now);
        RedisJobQueue.Reclaimed reclaimed = slots > 0 ? queue.reclaimExpired(running.workerId(), lease, slots)
                : new RedisJobQueue.Reclaimed(List.of(), List.of());
        claimed.addAll(reclaimed.held());
        for (ClaimedJob job : reclaimed.held()) {
            log.warn("job {} taken over after its lease expired; attempt {}", job.jobId(), job.job().attempt());
        }
        reclaimed.dead().forEach(performer::diedWithItsWorker);
        if (now >= nextTrim) {
            nextTrim = now + TRIM_EVERY_MS;
            queue.trim(finishedTtl, finishedMax);
        }
    }

    private RedisConnection poolConnection() {
        RedisConnection c = poolConnections.get(Thread.currentThread());
        if (c == null || c.isClosed()) {
            c = connections.getConnection();
            poolConnections.put(Thread.currentThread(), c);
        }
        return c;
    }

    private RedisConnection connection() {
        if (connection == null || connection.isClosed()) connection = connections.getConnection();
        return connection;
    }

    private void closeConnection() {
        closeQuietly(connection);
        connection = null;
    }

    private static void closeQuietly(RedisConnection c) {
        try {
            if (c != null) c.close();
        } catch (RuntimeException ignored) {
            // already broken
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
        poolConnections.values().forEach(WorkerClaimer::closeQuietly);
        poolConnections.clear();
    }

    @Override
    public void start() { lifecycleRunning = true; }

    @Override
    public void stop() {
        close();
        lifecycleRunning = false;
    }

    @Override
    public boolean isRunning() { return lifecycleRunning; }

    @Override
    public int getPhase() { return RunningJobs.PHASE; }
}
