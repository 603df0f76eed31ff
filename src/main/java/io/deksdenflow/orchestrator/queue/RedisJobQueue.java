package io.deksdenflow.orchestrator.queue;

import io.deksdenflow.orchestrator.common.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The durable job queue on one Redis stream ({@code <ns>:stream:default}) read by the consumer
 * group {@code workers}. Each job also has a hash {@code <ns>:job:<id>} and sits in one per-status
 * sorted set {@code <ns>:idx:<status>}; every multi-key change is one Lua script. An entry stays in
 * the group's pending list while a worker holds it; the holder renews its lease by resetting the
 * entry's idle time, and an entry idle for a full lease is taken over with XAUTOCLAIM.
 */
public class RedisJobQueue {
    public static final String GROUP = "workers";
    private static final int PUSH_CHUNK = 500;

    private final StringRedisTemplate redis;
    private final String ns;
    private final QueueScripts scripts = new QueueScripts();
    private final PipelinedScripts pipelined;
    private final byte[] stream;
    private final int defaultMaxAttempts;

    /** @param defaultMaxAttempts used for jobs pushed with maxAttempts 0 (DEKSDENFLOW_JOB_MAX_ATTEMPTS) */
    public RedisJobQueue(StringRedisTemplate redis, String namespace, int defaultMaxAttempts) {
        this.redis = redis;
        this.ns = namespace;
        this.defaultMaxAttempts = Math.max(1, defaultMaxAttempts);
        this.stream = (namespace + ":stream:default").getBytes(StandardCharsets.UTF_8);
        this.pipelined = new PipelinedScripts(redis.getRequiredConnectionFactory());
    }

    public String namespace() { return ns; }

    /** The Redis hash holding a job's record in the queue of {@code namespace}. */
    public static String jobKey(String namespace, String jobId) {
        return namespace + ":job:" + jobId;
    }

    /** Enqueues jobs in batches (one script call per 500), skipping known ids. Returns how many were added. */
    public int pushAll(Collection<Job> jobs) {
        int added = 0;
        List<String> args = new ArrayList<>();
        int inChunk = 0;
        for (Job job : jobs) {
            if (inChunk == 0) {
                args.clear();
                args.add(ns);
                args.add(Long.toString(Clock.now()));
            }
            args.addAll(List.of(JobRecord.pushArgs(job, defaultMaxAttempts)));
            if (++inChunk == PUSH_CHUNK) {
                added += run(scripts.push, args).intValue();
                inChunk = 0;
            }
        }
        if (inChunk > 0) added += run(scripts.push, args).intValue();
        return added;
    }

    /**
     * Reads up to {@code max} new entries for {@code worker}, waiting up to {@code block} when there are
     * none, and marks them started. Uses the caller's connection so that blocking reads do not occupy the
     * shared one.
     */
    public List<ClaimedJob> claim(RedisConnection connection, String worker, int max, Duration block) {
        StreamReadOptions options = StreamReadOptions.empty().count(max);
        if (block != null && !block.isZero()) options = options.block(block);
        List<ByteRecord> records;
        try {
            records = connection.streamCommands().xReadGroup(Consumer.from(GROUP, worker), options,
                    StreamOffset.create(stream, ReadOffset.lastConsumed()));
        } catch (DataAccessException e) {
            if (mentions(e, "NOGROUP")) {
                ensureGroup();
                return List.of();
            }
            throw e;
        }
        if (records == null || records.isEmpty()) return List.of();
        List<String> args = new ArrayList<>(3 + records.size() * 2);
        args.add(ns);
        args.add(worker);
        args.add(Long.toString(Clock.now()));
        for (ByteRecord record : records) {
            args.add(record.getId().getValue());
            args.add(jobIdOf(record));
        }
        return claimed(run(scripts.start, args), 0, worker);
    }

    /** Takes over entries idle for at least {@code lease} (their holder stopped renewing). */
    public Reclaimed reclaimExpired(String worker, Duration lease, int max) {
        List<?> out = run(scripts.reclaim, List.of(ns, worker, Long.toString(Clock.now()),
                Long.toString(lease.toMillis()), Integer.toString(max)));
        List<ClaimedJob> held = new ArrayList<>();
        List<JobRecord> dead = new ArrayList<>();
        for (int i = 0; i < out.size(); i += JobRecord.WIDTH + 1) {
            JobRecord record = JobRecord.from(out, i + 1);
            if ("C".equals(out.get(i))) held.add(new ClaimedJob(record.toJob(), record.entryId(), worker));
            else dead.add(record);
        }
        return new Reclaimed(held, dead);
    }

    /** Renews the leases of jobs this worker holds; returns the ids it no longer owns. */
    public Set<String> renew(String worker, Collection<ClaimedJob> held) {
        if (held.isEmpty()) return Set.of();
        List<String> args = new ArrayList<>();
        args.add(ns);
        args.add(worker);
        pairs(held, args);
        return new LinkedHashSet<>(strings(run(scripts.renew, args)));
    }

    /**
     * Marks a held job finished and acks it and, when {@code fetchNext}, claims the next new entry for the
     * same worker in the same round trip (so a busy worker needs one call per job).
     */
    public Completion completeAndNext(ClaimedJob held, boolean fetchNext) {
        List<?> out = run(scripts.finishNext, List.of(ns, held.workerId(), Long.toString(Clock.now()), held.entryId(),
                held.jobId(), fetchNext ? "1" : "0"));
        boolean applied = "1".equals(String.valueOf(out.get(0)));
        ClaimedJob next = null;
        if (out.size() > 1) {
            JobRecord record = JobRecord.from(out, 1);
            next = new ClaimedJob(record.toJob(), record.entryId(), held.workerId());
        }
        return new Completion(applied, next);
    }

    /**
     * Group commit: finishes several held jobs of one worker and claims up to {@code fetch} new entries, in
     * one round trip. Returns one applied flag per job (in order) and the newly held jobs.
     */
    public BatchCompletion completeBatch(String worker, List<ClaimedJob> held, int fetch) {
        return batchCompletion(run(scripts.finishBatch, batchArgs(worker, held, fetch)), held.size(), worker);
    }

    /**
     * As {@link #completeBatch}, without waiting: the call goes out on the shared connection behind any still in
     * flight (pipelined) and the future completes with Redis's answer, or with the Redis failure (a Spring
     * {@code DataAccessException}), on the connection's I/O thread.
     */
    public CompletableFuture<BatchCompletion> completeBatchAsync(String worker, List<ClaimedJob> held, int fetch) {
        return pipelined.run(scripts.finishBatch, batchArgs(worker, held, fetch))
                .thenApply(out -> batchCompletion(out, held.size(), worker));
    }

    private List<String> batchArgs(String worker, List<ClaimedJob> held, int fetch) {
        List<String> args = new ArrayList<>(4 + held.size() * 2);
        args.add(ns);
        args.add(worker);
        args.add(Long.toString(Clock.now()));
        args.add(Integer.toString(fetch));
        pairs(held, args);
        return args;
    }

    private static BatchCompletion batchCompletion(List<?> out, int jobs, String worker) {
        boolean[] applied = new boolean[jobs];
        for (int i = 0; i < applied.length; i++) applied[i] = "1".equals(String.valueOf(out.get(i)));
        return new BatchCompletion(applied, claimed(out, jobs, worker));
    }

    /** Dead-letters a held job; true when this worker still held it. */
    public boolean fail(ClaimedJob held, String error) {
        return fail(held, error, 0);
    }

    /** As {@link #fail(ClaimedJob, String)}, recording {@code maxAttempts} (its type's policy) when positive. */
    public boolean fail(ClaimedJob held, String error, int maxAttempts) {
        return run(scripts.fail, List.of(ns, held.workerId(), Long.toString(Clock.now()), held.entryId(), held.jobId(),
                error == null ? "" : error, maxAttempts > 0 ? Integer.toString(maxAttempts) : "")) == 1L;
    }

    /** Parks a held job until {@code dueAt} (epoch ms) with attempt + 1. */
    public boolean retryLater(ClaimedJob held, long dueAt, String error) {
        return retryLater(held, dueAt, error, true);
    }

    /** As {@link #retryLater(ClaimedJob, long, String)}; {@code spendAttempt} false keeps the attempt count. */
    public boolean retryLater(ClaimedJob held, long dueAt, String error, boolean spendAttempt) {
        return retryLater(held, dueAt, error, spendAttempt, 0);
    }

    /**
     * As {@link #retryLater(ClaimedJob, long, String, boolean)}, and records {@code maxAttempts} (the job type's
     * retry policy, when positive) as the job's {@code max_attempts}: the listing shows it and a lease takeover
     * dead-letters by it.
     */
    public boolean retryLater(ClaimedJob held, long dueAt, String error, boolean spendAttempt, int maxAttempts) {
        return run(scripts.retry, List.of(ns, held.workerId(), Long.toString(Clock.now()), held.entryId(),
                held.jobId(), Long.toString(dueAt), error == null ? "" : error, spendAttempt ? "1" : "0",
                maxAttempts > 0 ? Integer.toString(maxAttempts) : "")) == 1L;
    }

    /** Hands held jobs back to the queue without using an attempt (graceful shutdown). */
    public long release(String worker, Collection<ClaimedJob> held) {
        if (held.isEmpty()) return 0;
        List<String> args = new ArrayList<>();
        args.add(ns);
        args.add(worker);
        args.add(Long.toString(Clock.now()));
        pairs(held, args);
        return run(scripts.release, args);
    }

    /** Moves due delayed retries back onto the stream. */
    public long promoteDue(long now) {
        return run(scripts.promote, List.of(ns, Long.toString(now), "1000"));
    }

    /** Forgets finished/failed records older than {@code ttl} or beyond the newest {@code max}. */
    public long trim(Duration ttl, int max) {
        return run(scripts.trim, List.of(ns, Long.toString(Clock.now() - ttl.toMillis()), Integer.toString(max)));
    }

    public void ensureGroup() {
        try {
            redis.execute((RedisCallback<Object>) c -> {
                c.streamCommands().xGroupCreate(stream, GROUP, ReadOffset.from("0"), true);
                return null;
            });
        } catch (DataAccessException e) {
            if (!mentions(e, "BUSYGROUP")) throw e;
        }
    }

    public Map<JobStatus, Long> counts() {
        List<Object> sizes = redis.executePipelined((RedisCallback<Object>) c -> {
            for (JobStatus status : JobStatus.values()) c.zSetCommands().zCard(indexKey(status));
            return null;
        });
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        JobStatus[] statuses = JobStatus.values();
        for (int i = 0; i < statuses.length; i++) counts.put(statuses[i], (Long) sizes.get(i));
        return counts;
    }

    /** Up to {@code limit} records of one status: the newest first for finished/failed, else the oldest. */
    public List<JobRecord> list(JobStatus status, int limit) {
        String key = ns + ":idx:" + status.key();
        boolean newest = status == JobStatus.FINISHED || status == JobStatus.FAILED;
        Set<String> ids = newest ? redis.opsForZSet().reverseRange(key, 0, limit - 1L)
                : redis.opsForZSet().range(key, 0, limit - 1L);
        if (ids == null || ids.isEmpty()) return List.of();
        List<Object> rows = redis.executePipelined((RedisCallback<Object>) c -> {
            for (String id : ids) c.hashCommands().hMGet(bytes(jobKey(ns, id)), fieldBytes());
            return null;
        });
        List<JobRecord> out = new ArrayList<>();
        for (Object row : rows) {
            List<?> values = (List<?>) row;
            if (values != null && values.get(0) != null) out.add(JobRecord.from(values, 0));
        }
        return out;
    }

    public Optional<JobRecord> find(String jobId) {
        List<Object> values = redis.opsForHash().multiGet(jobKey(ns, jobId), List.of((Object[]) FIELDS));
        return values.get(0) == null ? Optional.empty() : Optional.of(JobRecord.from(values, 0));
    }

    static final String[] FIELDS = {"job_id", "job_type", "project_id", "protocol_run_id", "step_run_id", "attempt",
        "max_attempts", "request_id", "enqueued_at", "entry_id", "status", "started_at", "finished_at",
        "worker_id", "last_error"};

    private byte[] indexKey(JobStatus status) { return bytes(ns + ":idx:" + status.key()); }

    private static byte[][] fieldBytes() {
        byte[][] out = new byte[FIELDS.length][];
        for (int i = 0; i < FIELDS.length; i++) out[i] = bytes(FIELDS[i]);
        return out;
    }

    private static void pairs(Collection<ClaimedJob> held, List<String> args) {
        for (ClaimedJob job : held) {
            args.add(job.entryId());
            args.add(job.jobId());
        }
    }

    private static List<ClaimedJob> claimed(List<?> flat, int offset, String worker) {
        List<ClaimedJob> out = new ArrayList<>(flat.size() / JobRecord.WIDTH);
        for (int i = offset; i < flat.size(); i += JobRecord.WIDTH) {
            JobRecord record = JobRecord.from(flat, i);
            out.add(new ClaimedJob(record.toJob(), record.entryId(), worker));
        }
        return out;
    }

    private static String jobIdOf(ByteRecord record) {
        for (Map.Entry<byte[], byte[]> field : record.getValue().entrySet()) {
            if ("job_id".equals(new String(field.getKey(), StandardCharsets.UTF_8))) {
                return new String(field.getValue(), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(List<?> values) { return (List<String>) values; }

    private <T> T run(RedisScript<T> script, List<String> args) {
        return redis.execute(script, List.of(), args.toArray());
    }

    private static boolean mentions(Throwable e, String text) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) return true;
        }
        return false;
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** Whether a completion was applied (the worker still held the job), and the next job it now holds. */
    public record Completion(boolean applied, ClaimedJob next) {}

    /** Per job whether its completion applied, and the jobs claimed alongside. */
    public record BatchCompletion(boolean[] applied, List<ClaimedJob> next) {}

    /** What a takeover found: jobs now held by the caller, and jobs that ran out of attempts. */
    public record Reclaimed(List<ClaimedJob> held, List<JobRecord> dead) {}
}
