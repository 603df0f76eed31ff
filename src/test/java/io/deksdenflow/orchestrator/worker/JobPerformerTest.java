package io.deksdenflow.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.Parkable;
import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import io.deksdenflow.orchestrator.testsupport.RecordingListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Every outcome of an attempt, decided in {@link JobPerformer}: the queue call and the listener call that go
 * with it (the queue is a mock; QueueRedisContract runs the same outcomes against Redis).
 */
class JobPerformerTest {
    interface Behaviour {
        void run(JobContext ctx) throws Exception;
    }

    final RedisJobQueue queue = mock(RedisJobQueue.class);
    final RunningJobs running = new RunningJobs(queue, "w1", 4, Duration.ofMinutes(10));
    final RecordingListener listener = new RecordingListener();
    final OutcomeListeners listeners = new OutcomeListeners(List.of(listener));
    /** One pool thread: the ack is queue.completeAndNext on the caller's thread (CompletionBatcherTest covers more). */
    final CompletionBatcher acks = spy(new CompletionBatcher(queue, running, listeners, 1));
    Behaviour behaviour = ctx -> {};
    /** The precondition the handler declares: ready unless a test sets a skip. */
    Precondition<Job> precondition;
    final List<String> skipsRecorded = new CopyOnWriteArrayList<>();
    /** Global defaults: 3 attempts, backoff 1 s doubling, capped at 2 s; the handler keeps them unless a test changes it. */
    static final RetryPolicy DEFAULTS = RetryPolicy.defaults(3, 1, 2);
    UnaryOperator<RetryPolicy> declared = p -> p;
    final JobHandler<Job> handler = new JobHandler<>() {
        public JobType type() { return JobType.EXECUTE_STEP_JOB; }
        public Precondition<Job> precondition(Job job) { return precondition != null ? precondition : Precondition.ready(job); }
        public void handle(JobContext ctx, Job job) throws Exception { behaviour.run(ctx); }
        public RetryPolicy retryPolicy(RetryPolicy defaults) { return declared.apply(defaults); }
    };
    JobPerformer performer = performer();

    JobPerformer performer() {
        return new JobPerformer(new HandlerRegistry(List.of(handler), DEFAULTS), running, queue, acks,
                new UsageLimitWait(Duration.ofMinutes(5), Duration.ofHours(6)), listeners,
                Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        running.close();
    }

    ClaimedJob held(int attempt, JobType type) throws InterruptedException {
        Job job = Job.create(type, 1L, 2L, 3L, 3, "r", System.currentTimeMillis()).withAttempt(attempt);
        ClaimedJob claimed = new ClaimedJob(job, "1-" + attempt, "w1");
        assertThat(running.acquireSlots(1, Duration.ZERO)).isEqualTo(1);
        running.hold(claimed);
        return claimed;
    }

    ClaimedJob held(int attempt) throws InterruptedException { return held(attempt, JobType.EXECUTE_STEP_JOB); }

    boolean stillHeld(ClaimedJob job) { return running.context(job) != null; }

    @Test
    void successAcksAndHandsOverTheNextJob() throws Exception {
        ClaimedJob job = held(1);
        ClaimedJob next = new ClaimedJob(Job.create(JobType.NOOP_JOB, null, null, null, 3, null, 0), "2-0", "w1");
        when(queue.completeAndNext(job, true)).thenReturn(new RedisJobQueue.Completion(true, next));

        assertThat(performer.perform(job)).isEqualTo(next);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "success");
        assertThat(stillHeld(job)).isFalse();
        assertThat(stillHeld(next)).isTrue();
    }

    @Test
    void anAckThatNoLongerAppliesCallsNoListener() throws Exception {
        ClaimedJob job = held(1);
        when(queue.completeAndNext(job, true)).thenReturn(new RedisJobQueue.Completion(false, null));

        assertThat(performer.perform(job)).isNull();
        assertThat(listener.kinds(job.jobId())).containsExactly("start");
        assertThat(stillHeld(job)).isFalse();
    }

    @Test
    void aRetryableFailureWaitsForTheBackoff() throws Exception {
        ClaimedJob job = held(2);
        behaviour = ctx -> { throw new IOException("disk on fire"); };
        when(queue.retryLater(eq(job), anyLong(), eq("disk on fire"), eq(true), eq(3))).thenReturn(true);

        assertThat(performer.perform(job)).isNull();
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "retry");
        assertThat(listener.of(job.jobId()).get(1).delay()).isEqualTo(Duration.ofSeconds(2));
        verify(queue, never()).fail(any(), anyString(), anyInt());
        assertThat(stillHeld(job)).isFalse();
    }

    @Test
    void theLastAttemptDeadLetters() throws Exception {
        ClaimedJob job = held(3);
        behaviour = ctx -> { throw new IOException("disk on fire"); };
        when(queue.fail(job, "disk on fire", 3)).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "final");
        verify(queue, never()).retryLater(any(), anyLong(), anyString(), anyBoolean(), anyInt());
        assertThat(stillHeld(job)).isFalse();
    }

    @Test
    void aNonRetryableFailureDeadLettersAtOnce() throws Exception {
        ClaimedJob job = held(1);
        behaviour = ctx -> { throw new JobFailure("budget exceeded"); };
        when(queue.fail(job, "budget exceeded", 3)).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "final");
    }

    @Test
    void aJobTypeWithoutHandlerDeadLettersAtOnce() throws Exception {
        ClaimedJob job = held(1, JobType.RUN_QUALITY_JOB);
        when(queue.fail(job, "job type run_quality_job is not available in this build", 3)).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "final");
    }

    @Test
    void anErrorIsTheAttemptsFailure() throws Exception {
        ClaimedJob job = held(1);
        behaviour = ctx -> { throw new StackOverflowError(); };
        when(queue.retryLater(eq(job), anyLong(), eq("StackOverflowError"), eq(true), eq(3))).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "retry");
    }

    @Test
    void aUsageLimitParksWithoutSpendingAnAttempt() throws Exception {
        ClaimedJob job = held(3);
        Instant reset = Instant.now().plusSeconds(90);
        behaviour = ctx -> { throw new Limit(reset); };
        when(queue.retryLater(job, reset.toEpochMilli(), "usage limit", false, 3)).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start");
        verify(queue).retryLater(job, reset.toEpochMilli(), "usage limit", false, 3);
        verify(queue, never()).fail(any(), anyString(), anyInt());
        assertThat(stillHeld(job)).isFalse();
    }

    @Test
    void aCancelledJobFailsWithItsCancellationWhateverTheHandlerDid() throws Exception {
        ClaimedJob job = held(1);
        behaviour = ctx -> ctx.cancel("cancel requested"); // returns normally after being cancelled
        when(queue.fail(job, "cancelled: cancel requested", 3)).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "final");
        assertThat(listener.of(job.jobId()).get(1).error()).isInstanceOf(JobCancelledException.class);
        verifyNoInteractions(acks);
    }

    @Test
    void aJobOverTheTimeoutFailsAsTimedOut() throws Exception {
        ClaimedJob job = held(1);
        behaviour = ctx -> Thread.sleep(10_000);
        when(queue.fail(job, "timed out after 1 s", 3)).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "final");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aStoppingWorkerKeepsTheJobForTheHandBack() throws Exception {
        ClaimedJob job = held(1);
        behaviour = ctx -> ctx.cancelWith(new WorkerStoppingException());

        assertThat(performer.perform(job)).isNull();
        assertThat(listener.kinds(job.jobId())).containsExactly("start");
        verify(queue, never()).fail(any(), anyString(), anyInt());
        verify(queue, never()).retryLater(any(), anyLong(), anyString(), anyBoolean(), anyInt());
        assertThat(stillHeld(job)).isTrue();
    }

    @Test
    void aRedisFailureWhileRecordingEscapesAndWorkerErrorsLetsGoOfTheJob() throws Exception {
        ClaimedJob job = held(1);
        when(queue.completeAndNext(job, true)).thenThrow(new RedisConnectionFailureException("Redis down"));

        assertThatThrownBy(() -> performer.perform(job)).isInstanceOf(RedisConnectionFailureException.class);
        assertThat(listener.kinds(job.jobId())).containsExactly("start");
        assertThat(stillHeld(job)).isTrue(); // nothing recorded: still pending in the stream

        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getIn().setBody(job);
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new RedisConnectionFailureException("Redis down"));
            new WorkerErrors(running).letGo(exchange);
        }
        assertThat(stillHeld(job)).isFalse(); // slot free, lease no longer renewed: taken over after it
        verify(queue, never()).fail(any(), anyString(), anyInt());
    }

    @Test
    void aJobHandedBackBeforeItStartedDoesNotRun() throws Exception {
        ClaimedJob job = held(1);
        running.done(job);
        behaviour = ctx -> { throw new AssertionError("must not run"); };

        assertThat(performer.perform(job)).isNull();
        assertThat(listener.calls).isEmpty();
    }

    @Test
    void anUnmetPreconditionSkipsTheWorkRecordsTheReasonAndFinishesTheJob() throws Exception {
        ClaimedJob job = held(1);
        precondition = Precondition.skip("protocol is paused and step is running",
                () -> skipsRecorded.add(job.jobId() + ": protocol is paused and step is running"));
        behaviour = ctx -> { throw new AssertionError("the work must not run when its precondition is unmet"); };
        when(queue.completeAndNext(job, true)).thenReturn(new RedisJobQueue.Completion(true, null));

        assertThat(performer.perform(job)).isNull();
        assertThat(skipsRecorded).containsExactly(job.jobId() + ": protocol is paused and step is running");
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "success");
        verify(queue, never()).fail(any(), anyString(), anyInt());
        assertThat(stillHeld(job)).isFalse();
    }

    @Test
    void aSkipThatCannotBeRecordedIsTheAttemptsFailureAndRetried() throws Exception {
        ClaimedJob job = held(1);
        precondition = Precondition.skip("protocol is cancelled", () -> { throw new IllegalStateException("database down"); });
        when(queue.retryLater(eq(job), anyLong(), eq("database down"), eq(true), eq(3))).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "retry");
        verifyNoInteractions(acks);
    }

    @Test
    void theTypesPolicyDecidesAttemptsAndBackoffNotTheStampedMaximum() throws Exception {
        declared = d -> d.withAttempts(2).withBackoff(10, 15); // the job was stamped with the global 3
        performer = performer();
        ClaimedJob first = held(1);
        behaviour = ctx -> { throw new IOException("connection reset"); };
        when(queue.retryLater(eq(first), anyLong(), eq("connection reset"), eq(true), eq(2))).thenReturn(true);

        performer.perform(first);
        assertThat(listener.kinds(first.jobId())).containsExactly("start", "retry");
        assertThat(listener.of(first.jobId()).get(1).delay()).isEqualTo(Duration.ofSeconds(10));

        ClaimedJob second = held(2);
        when(queue.fail(second, "connection reset", 2)).thenReturn(true);
        performer.perform(second);
        assertThat(listener.kinds(second.jobId())).containsExactly("start", "final");
        verify(queue, never()).retryLater(eq(second), anyLong(), anyString(), anyBoolean(), anyInt());
    }

    @Test
    void anErrorClassThePolicyNamesIsFinalAtOnce() throws Exception {
        declared = d -> d.neverRetrying(IOException.class);
        performer = performer();
        ClaimedJob job = held(1);
        behaviour = ctx -> { throw new IllegalStateException("wrapped", new IOException("no such repository")); };
        when(queue.fail(job, "wrapped", 3)).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "final");
        verify(queue, never()).retryLater(any(), anyLong(), anyString(), anyBoolean(), anyInt());
    }

    @Test
    void aJobTakenOverPastItsTypesAttemptsFailsWithoutRunning() throws Exception {
        declared = d -> d.withAttempts(2);
        performer = performer();
        ClaimedJob job = held(3); // a lease takeover counted up to the stamped 3
        behaviour = ctx -> { throw new AssertionError("must not run past its attempts"); };
        when(queue.fail(eq(job), anyString(), eq(2))).thenReturn(true);

        performer.perform(job);
        assertThat(listener.kinds(job.jobId())).containsExactly("start", "final");
        assertThat(listener.of(job.jobId()).get(1).error()).isInstanceOf(JobFailure.class)
                .hasMessageContaining("past the 2 attempts of execute_step_job");
    }

    private static final class Limit extends RuntimeException implements Parkable {
        private final Instant at;
        Limit(Instant at) { super("usage limit"); this.at = at; }
        public Instant retryAt() { return at; }
        public String source() { return "codex"; }
    }
}
