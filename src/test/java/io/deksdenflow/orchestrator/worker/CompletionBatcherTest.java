package io.deksdenflow.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import io.deksdenflow.orchestrator.testsupport.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * The pipelined acks of a worker with several pool threads, over a mocked queue whose answers the test gives: the
 * pool thread does not wait for its own round trip, calls go out while earlier ones are unanswered, the slot of an
 * acked job passes to the job its call claimed, {@code onSuccess} only for an ack that applied, and a call Redis
 * refused is sent again, then let go.
 */
class CompletionBatcherTest {
    static final String WORKER = "w1";
    static final long PATIENCE_MS = 20_000;

    final RedisJobQueue queue = mock(RedisJobQueue.class);
    final RunningJobs running = new RunningJobs(queue, WORKER, 4, Duration.ofMinutes(10));
    final RecordingListener listener = new RecordingListener();
    final CompletionBatcher acks = new CompletionBatcher(queue, running, new OutcomeListeners(List.of(listener)), 4);
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    /** The answers to the calls, in the order the calls are made. */
    final LinkedBlockingQueue<CompletableFuture<RedisJobQueue.BatchCompletion>> answers = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        acks.close();
        running.close();
    }

    ClaimedJob job(String entry) {
        return new ClaimedJob(Job.create(JobType.NOOP_JOB, null, null, null, 3, null, 0), entry, WORKER);
    }

    ClaimedJob held(String entry) throws InterruptedException {
        ClaimedJob job = job(entry);
        assertThat(running.acquireSlots(1, Duration.ZERO)).isEqualTo(1);
        running.hold(job);
        return job;
    }

    int freeSlots() throws InterruptedException {
        int free = running.acquireSlots(4, Duration.ZERO);
        running.releaseSlots(free);
        return free;
    }

    /** Every call gets the next future the test puts in {@link #answers} (made when the call is made). */
    void answersFromTheTest() {
        when(queue.completeBatchAsync(eq(WORKER), anyList(), anyInt())).thenAnswer(i -> {
            CompletableFuture<RedisJobQueue.BatchCompletion> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        });
    }

    Future<ClaimedJob> complete(ClaimedJob job) {
        return pool.submit(() -> acks.complete(job, job.job(), true));
    }

    @Test
    void callsGoOutWhileEarlierOnesAreUnansweredAndTheSlotPassesToTheClaimedJob() throws Exception {
        answersFromTheTest();
        ClaimedJob first = held("1-0");
        ClaimedJob second = held("2-0");
        ClaimedJob next = job("3-0");

        Future<ClaimedJob> one = complete(first);
        verify(queue, timeout(PATIENCE_MS)).completeBatchAsync(WORKER, List.of(first), 1);
        Future<ClaimedJob> two = complete(second);
        // pipelined: the second call goes out although the first is still unanswered
        verify(queue, timeout(PATIENCE_MS)).completeBatchAsync(WORKER, List.of(second), 1);
        assertThat(answers).hasSize(2);

        answers.take().complete(new RedisJobQueue.BatchCompletion(new boolean[] {true}, List.of(next)));
        answers.take().complete(new RedisJobQueue.BatchCompletion(new boolean[] {true}, List.of()));
        // whichever pool thread is free takes the claimed job; the other gets null once its own ack is answered
        List<ClaimedJob> taken = Stream.of(one.get(PATIENCE_MS, TimeUnit.MILLISECONDS),
                two.get(PATIENCE_MS, TimeUnit.MILLISECONDS)).filter(Objects::nonNull).toList();
        assertThat(taken).containsExactly(next);
        assertThat(listener.kinds(first.jobId())).containsExactly("success");
        assertThat(listener.kinds(second.jobId())).containsExactly("success");
        assertThat(running.context(first)).as("acked: no longer held").isNull();
        assertThat(running.context(second)).isNull();
        assertThat(running.context(next)).as("claimed: held, its lease renewed").isNotNull();
        assertThat(freeSlots()).as("the first job's slot passed to the claimed job, the second's is free").isEqualTo(3);
    }

    @Test
    void aJobsLeaseIsReleasedOnlyOnceItsAckIsAnsweredAndBeforeTheNextJobReachesAPoolThread() throws Exception {
        answersFromTheTest();
        ClaimedJob first = held("1-0");
        ClaimedJob next = job("2-0");
        List<String> order = new CopyOnWriteArrayList<>();

        Future<ClaimedJob> one = pool.submit(() -> {
            ClaimedJob got = acks.complete(first, first.job(), true, () -> order.add("released"));
            order.add("next job taken");
            return got;
        });
        verify(queue, timeout(PATIENCE_MS)).completeBatchAsync(WORKER, List.of(first), 1);
        assertThat(order).as("not before the ack is answered").isEmpty();
        answers.take().complete(new RedisJobQueue.BatchCompletion(new boolean[] {true}, List.of(next)));

        assertThat(one.get(PATIENCE_MS, TimeUnit.MILLISECONDS)).isEqualTo(next);
        // the next job may be the same protocol's: it must find the lease free
        assertThat(order).containsExactly("released", "next job taken");
    }

    @Test
    void anAckThatNoLongerAppliesCallsNoListener() throws Exception {
        answersFromTheTest();
        ClaimedJob lost = held("1-0");

        Future<ClaimedJob> done = complete(lost);
        verify(queue, timeout(PATIENCE_MS)).completeBatchAsync(WORKER, List.of(lost), 1);
        answers.take().complete(new RedisJobQueue.BatchCompletion(new boolean[] {false}, List.of()));

        assertThat(done.get(PATIENCE_MS, TimeUnit.MILLISECONDS)).isNull();
        assertThat(listener.calls).isEmpty();
        assertThat(running.context(lost)).isNull();
        assertThat(freeSlots()).isEqualTo(4);
    }

    @Test
    void aCallRedisRefusedOnceIsSentAgainAndItsSuccessRecordedOnce() throws Exception {
        ClaimedJob job = held("1-0");
        when(queue.completeBatchAsync(WORKER, List.of(job), 1))
                .thenReturn(CompletableFuture.failedFuture(new RedisConnectionFailureException("Redis down")))
                .thenReturn(CompletableFuture.completedFuture(new RedisJobQueue.BatchCompletion(new boolean[] {true}, List.of())));

        assertThat(complete(job).get(PATIENCE_MS, TimeUnit.MILLISECONDS)).isNull();
        verify(queue, timeout(PATIENCE_MS).times(2)).completeBatchAsync(WORKER, List.of(job), 1);
        assertThat(listener.kinds(job.jobId())).containsExactly("success");
        assertThat(running.context(job)).isNull();
    }

    @Test
    void aCallRedisKeepsRefusingIsLetGoAfterTheRedeliveries() throws Exception {
        ClaimedJob job = held("1-0");
        when(queue.completeBatchAsync(anyString(), anyList(), anyInt()))
                .thenReturn(CompletableFuture.failedFuture(new RedisConnectionFailureException("Redis down")));

        assertThat(complete(job).get(PATIENCE_MS, TimeUnit.MILLISECONDS)).isNull();
        verify(queue, timeout(PATIENCE_MS).times(1 + WorkerErrors.REDELIVERIES)).completeBatchAsync(WORKER, List.of(job), 1);
        assertThat(listener.calls).as("nothing recorded: no success").isEmpty();
        assertThat(running.context(job)).as("let go: slot free, lease no longer renewed, taken over after it").isNull();
        assertThat(freeSlots()).isEqualTo(4);
        verify(queue, never()).completeAndNext(job, true);
    }
}
