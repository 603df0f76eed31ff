package io.deksdenflow.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.NotBefore;
import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.EmbeddedRedis;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import io.deksdenflow.orchestrator.testsupport.RecordingListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The protocol lease of workers without a shared disk, on a real (embedded) Redis: one holder at a time, renewed
 * while held, a fencing token per grant, refused pushes once lost; and the performer's use of it (a busy
 * protocol's job waits without spending an attempt and without running).
 */
class ProtocolLeasesTest {
    private static EmbeddedRedis server;
    private static LettuceConnectionFactory factory;
    private static StringRedisTemplate redis;
    private final List<ProtocolLeases> made = new ArrayList<>();
    private final String ns = "leases-test-" + System.nanoTime();

    @BeforeAll
    static void start() {
        server = EmbeddedRedis.start(0);
        RedisStandaloneConfiguration conf = new RedisStandaloneConfiguration("127.0.0.1", server.port());
        conf.setPassword(server.password());
        factory = new LettuceConnectionFactory(conf);
        factory.afterPropertiesSet();
        redis = new StringRedisTemplate(factory);
    }

    @AfterAll
    static void stop() {
        factory.destroy();
        server.stop();
    }

    @AfterEach
    void closeLeases() {
        made.forEach(ProtocolLeases::destroy);
    }

    ProtocolLeases worker(Duration ttl) {
        ProtocolLeases l = new ProtocolLeases(redis, ns, true, ttl);
        made.add(l);
        return l;
    }

    static Job job(JobType type, long protocolRunId) {
        return Job.create(type, 1L, protocolRunId, 3L, 3, "r", 0);
    }

    @Test
    void oneJobPerProtocolAtATimeAcrossWorkersAndEachGrantHasANewFencingToken() {
        ProtocolLeases a = worker(Duration.ofSeconds(30));
        ProtocolLeases b = worker(Duration.ofSeconds(30));
        ProtocolLeases.Lease first = a.acquire(job(JobType.EXECUTE_STEP_JOB, 7));
        assertThat(first.granted()).isTrue();
        String firstValue = redis.opsForValue().get(ns + ":protocol-lease:7");
        assertThat(b.acquire(job(JobType.RUN_QUALITY_JOB, 7)).granted()).isFalse();
        assertThat(b.acquire(job(JobType.RUN_QUALITY_JOB, 8)).granted()).isTrue(); // another protocol: free
        assertThat(b.acquire(job(JobType.NOTIFY_JOB, 7)).granted()).isTrue(); // not in the worktree: needs none
        assertThat(b.acquire(7L, "worktree-sweeper").granted()).isFalse(); // maintenance waits for the job too
        a.verify(7);

        first.close();
        assertThat(redis.hasKey(ns + ":protocol-lease:7")).isFalse();
        assertThatThrownBy(() -> a.verify(7)).isInstanceOf(ProtocolLeaseLostException.class);
        ProtocolLeases.Lease sweep = b.acquire(7L, "worktree-sweeper");
        assertThat(sweep.granted()).isTrue();
        assertThat(a.acquire(job(JobType.EXECUTE_STEP_JOB, 7)).granted()).isFalse();
        sweep.close();
        assertThat(b.acquire(job(JobType.RUN_QUALITY_JOB, 7)).granted()).isTrue();
        String secondValue = redis.opsForValue().get(ns + ":protocol-lease:7");
        assertThat(fence(secondValue)).isGreaterThan(fence(firstValue));
        b.verify(7);
    }

    @Test
    void aHeldLeaseIsRenewedPastItsTtlAndALeaseThatExpiredCannotBeUsedToPush() {
        ProtocolLeases a = worker(Duration.ofMillis(600));
        assertThat(a.acquire(job(JobType.EXECUTE_STEP_JOB, 9)).granted()).isTrue();
        // renewed every third of the TTL: still held well past it
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> Boolean.TRUE.equals(redis.hasKey(ns + ":protocol-lease:9")));
        a.verify(9);

        a.destroy(); // the worker stops renewing (paused, cut off from Redis): its lease expires
        await().atMost(Duration.ofSeconds(5)).until(() -> !Boolean.TRUE.equals(redis.hasKey(ns + ":protocol-lease:9")));
        ProtocolLeases b = worker(Duration.ofSeconds(30));
        assertThat(b.acquire(job(JobType.RUN_QUALITY_JOB, 9)).granted()).isTrue();
        assertThatThrownBy(() -> a.verify(9)).isInstanceOf(ProtocolLeaseLostException.class)
                .hasMessageContaining("not pushing");
        b.verify(9);
    }

    @Test
    void withoutLeases_aTestOfThePerformerAlone_everyJobMayRun() {
        ProtocolLeases shared = new ProtocolLeases(redis, ns, false, Duration.ofSeconds(30));
        made.add(shared);
        assertThat(shared.acquire(job(JobType.EXECUTE_STEP_JOB, 11)).granted()).isTrue();
        assertThat(shared.acquire(job(JobType.EXECUTE_STEP_JOB, 11)).granted()).isTrue();
        assertThat(redis.hasKey(ns + ":protocol-lease:11")).isFalse();
        shared.verify(11);
    }

    @Test
    void aJobWhoseProtocolIsBusyWaitsWithoutSpendingAnAttemptAndRunsOnceTheLeaseIsFree() throws Exception {
        RedisJobQueue queue = mock(RedisJobQueue.class);
        CompletionBatcher acks = mock(CompletionBatcher.class);
        RunningJobs running = new RunningJobs(queue, "w1", 4, Duration.ofMinutes(10));
        RecordingListener listener = new RecordingListener();
        AtomicInteger runs = new AtomicInteger();
        JobHandler<Job> handler = new JobHandler<>() {
            public JobType type() { return JobType.EXECUTE_STEP_JOB; }
            public Precondition<Job> precondition(Job job) { return Precondition.ready(job); }
            public void handle(JobContext ctx, Job job) { runs.incrementAndGet(); }
        };
        ProtocolLeases mine = worker(Duration.ofSeconds(30));
        JobPerformer performer = new JobPerformer(new HandlerRegistry(List.of(handler), RetryPolicy.defaults(3, 1, 2)),
                running, queue, acks, new UsageLimitWait(Duration.ofMinutes(5), Duration.ofHours(6)),
                new OutcomeListeners(List.of(listener)), Duration.ofSeconds(30), mine);
        try {
            ProtocolLeases.Lease other = worker(Duration.ofSeconds(30)).acquire(job(JobType.RUN_QUALITY_JOB, 12));
            Job job = job(JobType.EXECUTE_STEP_JOB, 12).withAttempt(2);
            ClaimedJob claimed = new ClaimedJob(job, "1-1", "w1");
            assertThat(running.acquireSlots(1, Duration.ZERO)).isEqualTo(1);
            running.hold(claimed);
            when(queue.retryLater(eq(claimed), anyLong(), anyString(), eq(false), eq(3))).thenReturn(true);

            JobPerformer.Attempt busy = performer.attempt(claimed);
            assertThat(busy.failure()).isInstanceOf(NotBefore.class);
            performer.record(busy);
            verify(queue).retryLater(eq(claimed), anyLong(), anyString(), eq(false), eq(3)); // attempt not spent
            verify(queue, never()).retryLater(eq(claimed), anyLong(), anyString(), eq(true), anyInt());
            assertThat(runs).hasValue(0);
            assertThat(listener.kinds(job.jobId())).isEmpty();

            other.close();
            assertThat(running.acquireSlots(1, Duration.ZERO)).isEqualTo(1);
            running.hold(claimed);
            JobPerformer.Attempt ran = performer.attempt(claimed);
            assertThat(ran.failure()).isNull();
            assertThat(runs).hasValue(1);
            // held until the outcome is recorded: the ack's answer releases it, not the end of the handler
            assertThat(redis.hasKey(ns + ":protocol-lease:12")).isTrue();
            ArgumentCaptor<Runnable> recorded = ArgumentCaptor.forClass(Runnable.class);
            performer.record(ran);
            verify(acks).complete(eq(claimed), any(Job.class), anyBoolean(), recorded.capture());
            assertThat(redis.hasKey(ns + ":protocol-lease:12")).isTrue();
            recorded.getValue().run(); // the ack answered
            assertThat(redis.hasKey(ns + ":protocol-lease:12")).isFalse();
        } finally {
            running.close();
        }
    }

    @Test
    void theGrantStampsTheJobsQueueRecordWithItsStartNotItsClaim() {
        ProtocolLeases a = worker(Duration.ofSeconds(30));
        Job job = job(JobType.EXECUTE_STEP_JOB, 13);
        String key = RedisJobQueue.jobKey(ns, job.jobId());
        redis.opsForHash().putAll(key, Map.of("status", "started", "started_at", "1"));
        long before = System.currentTimeMillis();
        assertThat(a.acquire(job).granted()).isTrue();
        assertThat(Long.parseLong((String) redis.opsForHash().get(key, "started_at"))).isGreaterThanOrEqualTo(before);

        Job other = job(JobType.RUN_QUALITY_JOB, 14); // a record that is not started (finished, gone) is left alone
        String otherKey = RedisJobQueue.jobKey(ns, other.jobId());
        redis.opsForHash().putAll(otherKey, Map.of("status", "finished", "started_at", "1"));
        assertThat(a.acquire(other).granted()).isTrue();
        assertThat(redis.opsForHash().get(otherKey, "started_at")).isEqualTo("1");
    }

    @Test
    void aLeaseFoundLostWhileTheJobRunsCancelsItAsARetryableFailure() throws Exception {
        RedisJobQueue queue = mock(RedisJobQueue.class);
        CompletionBatcher acks = mock(CompletionBatcher.class);
        RunningJobs running = new RunningJobs(queue, "w1", 4, Duration.ofMinutes(10));
        CountDownLatch started = new CountDownLatch(1);
        JobHandler<Job> handler = new JobHandler<>() {
            public JobType type() { return JobType.EXECUTE_STEP_JOB; }
            public Precondition<Job> precondition(Job job) { return Precondition.ready(job); }
            public void handle(JobContext ctx, Job job) throws InterruptedException {
                started.countDown();
                Thread.sleep(30_000); // the agent at work: only a cancellation ends it early
            }
        };
        ProtocolLeases mine = worker(Duration.ofMillis(600));
        JobPerformer performer = new JobPerformer(new HandlerRegistry(List.of(handler), RetryPolicy.defaults(3, 1, 2)),
                running, queue, acks, new UsageLimitWait(Duration.ofMinutes(5), Duration.ofHours(6)),
                new OutcomeListeners(List.of(new RecordingListener())), Duration.ofSeconds(60), mine);
        try {
            Job job = job(JobType.EXECUTE_STEP_JOB, 15);
            ClaimedJob claimed = new ClaimedJob(job, "1-1", "w1");
            assertThat(running.acquireSlots(1, Duration.ZERO)).isEqualTo(1);
            running.hold(claimed);
            Future<JobPerformer.Attempt> attempt =
                    Executors.newSingleThreadExecutor().submit(() -> performer.attempt(claimed));
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            redis.delete(ns + ":protocol-lease:15"); // expired while this worker was paused; another may take it
            JobPerformer.Attempt ran = attempt.get(60, TimeUnit.SECONDS);
            assertThat(ran.failure()).isInstanceOf(ProtocolLeaseLostException.class)
                    .isNotInstanceOf(JobFailure.class); // retried, not dead-lettered
            assertThatThrownBy(() -> mine.verify(15)).isInstanceOf(ProtocolLeaseLostException.class);
        } finally {
            running.close();
        }
    }

    private static long fence(String value) {
        return Long.parseLong(value.substring(0, value.indexOf('|')));
    }
}
