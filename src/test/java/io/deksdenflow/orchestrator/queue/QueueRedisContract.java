package io.deksdenflow.orchestrator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.testsupport.QueueTestApp;
import io.deksdenflow.orchestrator.testsupport.QueueTesting;
import io.deksdenflow.orchestrator.testsupport.RecordingListener;
import io.deksdenflow.orchestrator.testsupport.ScriptedHandler;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import io.deksdenflow.orchestrator.worker.CancelSignals;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The queue and worker contract against a real Redis, with an in-process worker (concurrency 4,
 * lease 2 s, backoff 1 s then 2 s, 3 attempts, timeout 3 s). Subclasses pick the Redis.
 *
 * <p>Timing: a lower bound proves a delay was honoured (it cannot be crossed by a slow machine, only
 * by a defect that acts early); upper bounds and waits are {@link #PATIENCE}, many times any
 * configured delay, so that only a job that never moves (or a delay ignored by orders of
 * magnitude) crosses them, never a busy 2-core machine.
 */
@SlowTest
@SpringBootTest(classes = QueueTestApp.class)
@TestPropertySource(locations = "classpath:queue-test.properties")
abstract class QueueRedisContract {
    @Autowired RedisJobQueue queue;
    @Autowired QueueInspector inspector;
    @Autowired ScriptedHandler handler;
    @Autowired RecordingListener listener;
    @Autowired CancelSignals cancelSignals;
    @Autowired StringRedisTemplate redis;
    @Autowired RedisConnectionFactory connections;

    private RedisJobQueue side;

    @BeforeEach
    void sideQueue() {
        side = new RedisJobQueue(redis, queue.namespace() + "-side", 3);
        QueueTesting.purge(redis, side);
    }

    @AfterEach
    void cleanSide() {
        QueueTesting.purge(redis, side);
    }

    /** How long a step may take on a loaded machine before it counts as a defect. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    static Job job(JobType type) {
        return Job.create(type, 1L, 42L, 7L, 0, "req-1", System.currentTimeMillis());
    }

    JobRecord awaitStatus(String jobId, String status, Duration within) {
        await().atMost(within).until(() -> queue.find(jobId).map(JobRecord::status).orElse(""), status::equals);
        return queue.find(jobId).orElseThrow();
    }

    long effects(String jobId) {
        return redis.opsForList().range(handler.effects, 0, -1).stream().filter(jobId::equals).count();
    }

    @Test
    void pushIsIdempotentAndTheJobRunsOnce() {
        Job job = job(JobType.EXECUTE_STEP_JOB);
        assertThat(QueueTesting.push(queue, job)).isTrue();
        assertThat(QueueTesting.push(queue, job)).isFalse();

        JobRecord done = awaitStatus(job.jobId(), "finished", PATIENCE);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.maxAttempts()).isEqualTo(3);
        assertThat(done.workerId()).isNotBlank();
        assertThat(effects(job.jobId())).isEqualTo(1);
        await().until(() -> listener.kinds(job.jobId()), k -> k.equals(List.of("start", "success")));

        Map<String, Object> listed = inspector.jobs("finished", 500).stream()
                .filter(m -> job.jobId().equals(m.get("job_id"))).findFirst().orElseThrow();
        assertThat(listed).containsEntry("job_type", "execute_step_job").containsEntry("status", "finished")
                .containsEntry("protocol_run_id", 42L).containsEntry("attempt", 1);
        assertThat((String) listed.get("finished_at")).endsWith("Z");
        assertThat(inspector.summary()).containsEntry("backend", "redis");
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) ((Map<String, Object>) inspector.summary().get("queues")).get("default");
        assertThat(counts).containsKeys("queued", "started", "delayed", "finished", "failed");
        assertThat((Long) counts.get("finished")).isGreaterThanOrEqualTo(1L);
    }

    @Test
    void retriesFollowTheBackoffThenDeadLetter() {
        Job job = job(JobType.EXECUTE_STEP_JOB);
        handler.behaviours.put(job.jobId(), ctx -> { throw new IOException("disk on fire"); });
        QueueTesting.push(queue, job);

        JobRecord failed = awaitStatus(job.jobId(), "failed", PATIENCE);
        assertThat(failed.attempt()).isEqualTo(3);
        assertThat(failed.lastError()).isEqualTo("disk on fire");
        List<Long> starts = handler.starts.get(job.jobId());
        assertThat(starts).hasSize(3);
        long first = starts.get(1) - starts.get(0);
        long second = starts.get(2) - starts.get(1);
        System.out.printf("retry gaps: %d ms (backoff 1 s), %d ms (backoff 2 s)%n", first, second);
        // at least the backoff (1 s, then 2 s; the 50 ms is the clock's granularity between threads);
        // at most ten times it: an ignored or misread backoff (seconds taken as minutes) crosses that
        assertThat(first).isBetween(950L, 10_000L);
        assertThat(second).isBetween(1_950L, 20_000L);
        await().until(() -> listener.kinds(job.jobId()),
                k -> k.equals(List.of("start", "retry", "start", "retry", "start", "final")));
        List<RecordingListener.Call> retries = listener.of(job.jobId()).stream().filter(c -> c.kind().equals("retry")).toList();
        assertThat(retries.get(0).delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(retries.get(1).delay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aNonRetryableFailureFailsAtOnce() {
        Job job = job(JobType.EXECUTE_STEP_JOB);
        handler.behaviours.put(job.jobId(), ctx -> { throw new JobFailure("budget exceeded"); });
        QueueTesting.push(queue, job);

        JobRecord failed = awaitStatus(job.jobId(), "failed", PATIENCE);
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(failed.lastError()).isEqualTo("budget exceeded");
        await().until(() -> listener.kinds(job.jobId()), k -> k.equals(List.of("start", "final")));
        assertThat(handler.starts.get(job.jobId())).hasSize(1);
    }

    @Test
    void aJobTypeWithoutHandlerFailsClearly() {
        Job job = job(JobType.RUN_QUALITY_JOB);
        QueueTesting.push(queue, job);
        JobRecord failed = awaitStatus(job.jobId(), "failed", PATIENCE);
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(failed.lastError()).isEqualTo("job type run_quality_job is not available in this build");
    }

    @Test
    void aJobOverTheTimeoutIsCancelledAndFails() {
        Job job = job(JobType.EXECUTE_STEP_JOB);
        AtomicBoolean killed = new AtomicBoolean();
        handler.behaviours.put(job.jobId(), ctx -> {
            ctx.onCancel(() -> killed.set(true));
            Thread.sleep(60_000);
        });
        long pushed = System.currentTimeMillis();
        QueueTesting.push(queue, job);

        JobRecord failed = awaitStatus(job.jobId(), "failed", PATIENCE);
        assertThat(failed.lastError()).isEqualTo("timed out after 3 s");
        assertThat(failed.attempt()).isEqualTo(1);
        // not before its 3 s timeout; well before the handler's own 60 s sleep would end it
        assertThat(failed.finishedAt() - pushed).isBetween(2_900L, 30_000L);
        assertThat(killed).isTrue();
    }

    @Test
    void aCancelSignalStopsTheRunningJob() {
        Job job = Job.create(JobType.EXECUTE_STEP_JOB, 1L, 9001L, 7L, 0, "req-c", System.currentTimeMillis());
        AtomicBoolean killed = new AtomicBoolean();
        handler.behaviours.put(job.jobId(), ctx -> {
            ctx.onCancel(() -> killed.set(true));
            while (!ctx.cancelled()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    // cancelled: loop ends
                }
            }
        });
        QueueTesting.push(queue, job);
        awaitStatus(job.jobId(), "started", PATIENCE);

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() -> {
            cancelSignals.publish(9001L, null);
            return queue.find(job.jobId()).orElseThrow().status().equals("failed");
        });
        JobRecord failed = queue.find(job.jobId()).orElseThrow();
        assertThat(failed.lastError()).isEqualTo("cancelled: cancel requested");
        assertThat(failed.attempt()).isEqualTo(1);
        assertThat(killed).isTrue();
        await().until(() -> listener.kinds(job.jobId()), k -> k.equals(List.of("start", "final")));
    }

    @Test
    void anExpiredLeaseHandsTheJobOverWithTheNextAttempt() throws Exception {
        Job job = job(JobType.NOOP_JOB);
        QueueTesting.push(side, job);
        ClaimedJob first;
        try (RedisConnection c = connections.getConnection()) {
            first = side.claim(c, "w1", 10, null).get(0);
        }
        assertThat(first.job().attempt()).isEqualTo(1);

        // while w1 renews, nobody else can take it. The watch runs for longer than the lease w2 looks
        // for (so a renewal that did not reset the lease would be taken over), and w2 looks right
        // after each renewal: only a stall of a whole lease between two Redis calls could cross it.
        Duration watchedLease = Duration.ofSeconds(4);
        long claimedAt = System.nanoTime();
        long renewedAt = claimedAt;
        while (System.nanoTime() - claimedAt < watchedLease.toNanos() * 3 / 2) {
            renewedAt = System.nanoTime();
            assertThat(side.renew("w1", List.of(first))).isEmpty();
            assertThat(side.reclaimExpired("w2", watchedLease, 10).held()).isEmpty();
            Thread.sleep(200);
        }
        // w1 goes silent: after a full lease (not before) w2 takes over, attempt 2
        long lastRenewal = renewedAt;
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> !side.reclaimExpired("w2", watchedLease, 10).held().isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - lastRenewal)).as("taken over only after a full lease of silence")
                .isGreaterThanOrEqualTo(watchedLease);
        JobRecord taken = side.find(job.jobId()).orElseThrow();
        assertThat(taken.workerId()).isEqualTo("w2");
        assertThat(taken.attempt()).isEqualTo(2);
        assertThat(taken.status()).isEqualTo("started");

        // the old holder learns it lost the job and cannot finish it
        assertThat(side.renew("w1", List.of(first))).containsExactly(job.jobId());
        assertThat(QueueTesting.complete(side, "w1", List.of(first))).isEmpty();
        ClaimedJob second = new ClaimedJob(taken.toJob(), taken.entryId(), "w2");
        assertThat(QueueTesting.complete(side, "w2", List.of(second))).containsExactly(job.jobId());
        assertThat(side.find(job.jobId()).orElseThrow().status()).isEqualTo("finished");
        assertThat(side.counts()).containsEntry(JobStatus.FINISHED, 1L).containsEntry(JobStatus.STARTED, 0L);
    }

    @Test
    void anEntryReadButNeverStartedIsTakenOverWithTheSameAttempt() {
        Job job = job(JobType.NOOP_JOB);
        QueueTesting.push(side, job);
        // a worker read the entry (it is in its pending list) and stopped before start.lua marked it started
        assertThat(redis.opsForStream().read(Consumer.from(RedisJobQueue.GROUP, "w-gone"),
                StreamReadOptions.empty().count(1),
                StreamOffset.create(side.namespace() + ":stream:default", ReadOffset.lastConsumed()))).hasSize(1);
        assertThat(side.find(job.jobId()).orElseThrow().status()).isEqualTo("queued");

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> !side.reclaimExpired("w2", Duration.ofSeconds(1), 10).held().isEmpty());
        JobRecord taken = side.find(job.jobId()).orElseThrow();
        assertThat(taken.status()).isEqualTo("started");
        assertThat(taken.workerId()).isEqualTo("w2");
        assertThat(taken.attempt()).isEqualTo(1);
        ClaimedJob held = new ClaimedJob(taken.toJob(), taken.entryId(), "w2");
        assertThat(QueueTesting.complete(side, "w2", List.of(held))).containsExactly(job.jobId());
        assertThat(side.counts()).containsEntry(JobStatus.FINISHED, 1L).containsEntry(JobStatus.QUEUED, 0L);
    }

    @Test
    void aLeaseExpiringOnTheLastAttemptDeadLetters() throws Exception {
        Job job = job(JobType.NOOP_JOB).withAttempt(3);
        QueueTesting.push(side, new Job(job.jobId(), job.type(), 1L, 2L, 3L, 3, 3, "r", job.enqueuedAt()));
        try (RedisConnection c = connections.getConnection()) {
            assertThat(side.claim(c, "w1", 10, null)).hasSize(1);
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> !side.reclaimExpired("w2", Duration.ofSeconds(1), 10).dead().isEmpty());
        JobRecord dead = side.find(job.jobId()).orElseThrow();
        assertThat(dead.status()).isEqualTo("failed");
        assertThat(dead.lastError()).contains("lease expired");
    }

    /** The worker's retry writes the job type's attempts (its policy): the listing and a takeover go by them. */
    @Test
    void aRetryRecordsItsTypesAttemptsAndATakeoverDeadLettersByThem() throws Exception {
        Job job = job(JobType.NOOP_JOB);
        QueueTesting.push(side, new Job(job.jobId(), job.type(), 1L, 2L, 3L, 1, 3, "r", job.enqueuedAt()));
        ClaimedJob held;
        try (RedisConnection c = connections.getConnection()) {
            held = side.claim(c, "w1", 10, null).get(0);
        }
        assertThat(side.retryLater(held, System.currentTimeMillis(), "the forge answered 502", true, 2)).isTrue();
        JobRecord delayed = side.find(job.jobId()).orElseThrow();
        assertThat(delayed.attempt()).isEqualTo(2);
        assertThat(delayed.maxAttempts()).isEqualTo(2);

        side.promoteDue(System.currentTimeMillis() + 1);
        try (RedisConnection c = connections.getConnection()) {
            assertThat(side.claim(c, "w1", 10, null)).hasSize(1);
        }
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> !side.reclaimExpired("w2", Duration.ofSeconds(1), 10).dead().isEmpty());
        assertThat(side.find(job.jobId()).orElseThrow().status()).isEqualTo("failed");
    }

    @Test
    void releaseHandsAJobBackWithoutUsingAnAttempt() {
        Job job = job(JobType.NOOP_JOB);
        QueueTesting.push(side, job);
        try (RedisConnection c = connections.getConnection()) {
            ClaimedJob held = side.claim(c, "w1", 10, null).get(0);
            assertThat(side.release("w1", List.of(held))).isEqualTo(1);
            assertThat(side.find(job.jobId()).orElseThrow().status()).isEqualTo("queued");
            ClaimedJob again = side.claim(c, "w2", 10, null).get(0);
            assertThat(again.job().attempt()).isEqualTo(1);
            assertThat(QueueTesting.complete(side, "w1", List.of(held))).isEmpty();
        }
    }

    /**
     * The pipelined ack (several calls in flight on the shared connection): each call finishes only the jobs this
     * worker still holds (fencing: a job taken over by another worker is not finished by the old holder) and starts
     * as many next entries as asked, under this worker's id, in the order sent.
     */
    @Test
    void pipelinedAcksFinishOnlyWhatTheWorkerHoldsAndClaimTheNextJobs() throws Exception {
        for (int i = 0; i < 3; i++) QueueTesting.push(side, job(JobType.NOOP_JOB));
        List<ClaimedJob> held;
        try (RedisConnection c = connections.getConnection()) {
            held = side.claim(c, "w1", 3, null);
        }
        assertThat(held).hasSize(3);
        ClaimedJob lost = held.get(2);
        assertThat(side.release("w1", List.of(lost))).isEqualTo(1); // handed back: w1 no longer holds it
        ClaimedJob retaken;
        try (RedisConnection c = connections.getConnection()) {
            retaken = side.claim(c, "w2", 1, null).get(0);
        }
        assertThat(retaken.jobId()).isEqualTo(lost.jobId());
        for (int i = 0; i < 3; i++) QueueTesting.push(side, job(JobType.NOOP_JOB));

        CompletableFuture<RedisJobQueue.BatchCompletion> first = side.completeBatchAsync("w1", held.subList(0, 1), 1);
        CompletableFuture<RedisJobQueue.BatchCompletion> second = side.completeBatchAsync("w1", held.subList(1, 3), 2);
        RedisJobQueue.BatchCompletion one = first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        RedisJobQueue.BatchCompletion two = second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(one.applied()).containsExactly(true);
        assertThat(two.applied()).containsExactly(true, false);
        assertThat(one.next()).hasSize(1);
        assertThat(two.next()).hasSize(2);
        for (ClaimedJob next : List.of(one.next().get(0), two.next().get(0), two.next().get(1))) {
            JobRecord record = side.find(next.jobId()).orElseThrow();
            assertThat(record.status()).isEqualTo("started");
            assertThat(record.workerId()).isEqualTo("w1");
            assertThat(next.entryId()).isEqualTo(record.entryId());
        }
        assertThat(side.find(lost.jobId()).orElseThrow().workerId()).isEqualTo("w2");
        assertThat(side.find(lost.jobId()).orElseThrow().status()).isEqualTo("started");
        assertThat(side.counts()).containsEntry(JobStatus.FINISHED, 2L).containsEntry(JobStatus.STARTED, 4L)
                .containsEntry(JobStatus.QUEUED, 0L);
    }

    @Test
    void aPipelinedAckOfAScriptRedisForgotIsSentInFull() throws Exception {
        QueueTesting.push(side, job(JobType.NOOP_JOB));
        List<ClaimedJob> held;
        try (RedisConnection c = connections.getConnection()) {
            held = side.claim(c, "w1", 1, null);
        }
        redis.execute((RedisCallback<Object>) c -> {
            c.scriptingCommands().scriptFlush();
            return null;
        });
        RedisJobQueue.BatchCompletion done = side.completeBatchAsync("w1", held, 0).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(done.applied()).containsExactly(true);
        assertThat(side.find(held.get(0).jobId()).orElseThrow().status()).isEqualTo("finished");
    }

    @Test
    void finishedRecordsAreTrimmedByCountAndAge() {
        try (RedisConnection c = connections.getConnection()) {
            for (int i = 0; i < 5; i++) QueueTesting.push(side, job(JobType.NOOP_JOB));
            List<ClaimedJob> held = side.claim(c, "w1", 10, null);
            assertThat(held).hasSize(5);
            assertThat(QueueTesting.complete(side, "w1", held)).hasSize(5);
        }
        assertThat(side.trim(Duration.ofDays(1), 2)).isEqualTo(3);
        assertThat(side.counts()).containsEntry(JobStatus.FINISHED, 2L);
        assertThat(side.trim(Duration.ZERO.minusSeconds(1), 100)).isEqualTo(2);
        assertThat(side.counts()).containsEntry(JobStatus.FINISHED, 0L);
        assertThat(redis.keys(side.namespace() + ":job:*")).isEmpty();
    }

    @Test
    void anUnknownStatusIsAValidationError() {
        assertThatThrownBy(() -> inspector.jobs("running", 10))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("status"));
        assertThat(Set.of("queued", "started", "delayed", "finished", "failed"))
                .allSatisfy(s -> assertThat(inspector.jobs(s, 5)).isNotNull());
    }
}
