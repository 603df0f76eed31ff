package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.NotBefore;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.QueueSettings;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * At most one job per protocol in its worktree at a time, across all workers, with or without a shared disk
 * (DEKSDENFLOW_WORKSPACE_SHARED): a Redis lease per protocol run ({@code <ns>:protocol-lease:<id>}), taken
 * before a job that works in the worktree ({@code JobType.touchesWorktree()}) runs, renewed every third of
 * DEKSDENFLOW_JOB_LEASE_SECONDS while it runs, released after. Its value carries a fencing token (a counter per
 * protocol, one more at each grant), so a lease that expired and was granted again — even to the same worker
 * and job — is not the one held before: {@link #verify} before every push refuses to push under a lost lease, and
 * a renewal that finds the lease gone cancels the job (retried: it may have been granted to another job).
 *
 * <p>The grant also stamps the job's queue record with {@code started_at}: a job's attempt starts when its protocol
 * is free, not when it was claimed. {@link JobPerformer} releases the lease only once the job's outcome is recorded
 * (its {@code finished_at}), so the queue's records of one protocol's worktree jobs never overlap in time —
 * {@code bench/scale-out.sh} checks exactly that.
 */
@Component
public class ProtocolLeases implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ProtocolLeases.class);
    /** How long a job that found its protocol busy waits in the delayed set (no attempt spent). */
    static final Duration BUSY_WAIT = Duration.ofSeconds(1);

    private static final RedisScript<Long> ACQUIRE = RedisScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            local fence = redis.call('INCR', KEYS[2])
            redis.call('SET', KEYS[1], fence .. '|' .. ARGV[1], 'PX', ARGV[2])
            if #KEYS > 2 and redis.call('HGET', KEYS[3], 'status') == 'started' then
              redis.call('HSET', KEYS[3], 'started_at', ARGV[3])
            end
            return fence""", Long.class);
    private static final RedisScript<Long> RENEW = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0""", Long.class);
    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""", Long.class);

    /** A protocol's lease as this process holds it; {@link #close} releases it (nothing when none was needed). */
    public final class Lease implements AutoCloseable {
        private final Long protocolRunId;
        private final String value;

        private Lease(Long protocolRunId, String value) {
            this.protocolRunId = protocolRunId;
            this.value = value;
        }

        /** Whether the job may run: it holds its protocol's lease, or needs none. */
        public boolean granted() { return protocolRunId == null || value != null; }

        @Override
        public void close() {
            if (protocolRunId == null || value == null) return;
            held.computeIfPresent(protocolRunId, (id, h) -> h.value().equals(value) ? null : h);
            try {
                redis.execute(RELEASE, List.of(key(protocolRunId)), value);
            } catch (RuntimeException e) {
                log.warn("protocol {}: lease not released ({}); it expires by itself", protocolRunId, e.toString());
            }
        }
    }

    private final StringRedisTemplate redis;
    private final String ns;
    private final boolean enabled;
    private final Duration ttl;
    /** What this process holds: the lease's value and what to do when a renewal finds it lost. */
    private record Held(String value, Runnable onLost) {}

    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "protocol-leases");
        t.setDaemon(true);
        return t;
    });

    @Autowired
    public ProtocolLeases(StringRedisTemplate redis, QueueSettings queue, WorkerSettings worker) {
        // on with a shared disk too: two jobs of one protocol in one worktree at once are as wrong there
        // (bench/scale-out.sh found such a pair before the lease covered that mode)
        this(redis, queue.queueNamespace(), true, Duration.ofSeconds(worker.jobLeaseSeconds()));
    }

    public ProtocolLeases(StringRedisTemplate redis, String namespace, boolean enabled, Duration ttl) {
        this.redis = redis;
        this.ns = namespace;
        this.enabled = enabled;
        this.ttl = ttl;
        long every = Math.max(100, ttl.toMillis() / 3);
        if (enabled) renewer.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
    }

    /** No leases (a test of the performer alone): every job may run. */
    static ProtocolLeases none() {
        return new ProtocolLeases(null, "", false, Duration.ofSeconds(60));
    }

    /** Takes the job's protocol lease when the job needs one; {@link Lease#granted()} false when another holds it. */
    public Lease acquire(Job job) {
        return acquire(job, () -> {});
    }

    /**
     * Takes the job's protocol lease when the job needs one; {@code onLost} runs (on the renewing thread) when a
     * renewal finds it expired or taken.
     */
    public Lease acquire(Job job, Runnable onLost) {
        if (!enabled || !job.type().touchesWorktree() || job.protocolRunId() == null) return new Lease(null, null);
        return grant(job.protocolRunId(), job.jobId() + "@" + job.attempt(), RedisJobQueue.jobKey(ns, job.jobId()), onLost);
    }

    /**
     * Takes a protocol's lease for work outside a job on its worktree ({@code owner} names it, e.g. the worktree
     * sweeper); {@link Lease#granted()} false while a job holds it. Without leases (a test of the performer alone)
     * always granted.
     */
    public Lease acquire(long protocolRunId, String owner) {
        if (!enabled) return new Lease(null, null);
        return grant(protocolRunId, owner, null, () -> {});
    }

    /** {@code jobKey}: the queue record the grant stamps with {@code started_at}; null for work outside a job. */
    private Lease grant(long id, String owner, String jobKey, Runnable onLost) {
        List<String> keys = jobKey == null ? List.of(key(id), ns + ":protocol-lease-fence:" + id)
                : List.of(key(id), ns + ":protocol-lease-fence:" + id, jobKey);
        Long fence = redis.execute(ACQUIRE, keys, owner, Long.toString(ttl.toMillis()), Long.toString(Clock.now()));
        if (fence == null || fence == 0) return new Lease(id, null);
        String value = fence + "|" + owner;
        held.put(id, new Held(value, onLost));
        return new Lease(id, value);
    }

    /** A job that did not start because its protocol is busy with another job (logged at DEBUG: it is routine). */
    static final class Busy extends NotBefore {
        Busy(Instant at, String why) {
            super(at, why);
        }
    }

    /** Why a job did not start: its protocol is busy with another job; it waits without spending an attempt. */
    NotBefore busy(Job job) {
        return new Busy(Instant.ofEpochMilli(Clock.now()).plus(BUSY_WAIT), "protocol " + job.protocolRunId()
                + " is busy with another job in its worktree; waiting for its lease");
    }

    /**
     * Right before a push: this process still holds the protocol's lease, with the fencing token it was granted.
     * A no-op without leases (a test of the performer alone).
     *
     * @throws ProtocolLeaseLostException when the lease expired or another holds it (a retryable failure)
     */
    public void verify(long protocolRunId) {
        if (!enabled) return;
        Held h = held.get(protocolRunId);
        String mine = h == null ? null : h.value();
        String now = redis.opsForValue().get(key(protocolRunId));
        if (mine == null || !mine.equals(now)) {
            throw new ProtocolLeaseLostException("protocol " + protocolRunId + ": this worker no longer holds the "
                    + "protocol's lease (held " + (mine == null ? "none" : mine) + ", now " + (now == null ? "none" : now)
                    + "); not pushing");
        }
    }

    void renewAll() {
        held.forEach((id, h) -> {
            try {
                Long ok = redis.execute(RENEW, List.of(key(id)), h.value(), Long.toString(ttl.toMillis()));
                if (ok == null || ok == 0) {
                    log.warn("protocol {}: lease lost (expired or taken); its job is cancelled and will not push", id);
                    if (held.remove(id, h)) h.onLost().run();
                }
            } catch (RuntimeException e) {
                log.warn("protocol {}: lease renewal failed: {}", id, e.toString());
            }
        });
    }

    private String key(long protocolRunId) {
        return ns + ":protocol-lease:" + protocolRunId;
    }

    @Override
    public void destroy() {
        renewer.shutdownNow();
    }
}
