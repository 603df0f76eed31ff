package io.deksdenflow.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import io.deksdenflow.orchestrator.testsupport.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The worker routes with Camel's test support, without the service: a Spring context of {@link WorkerRoutes}
 * and the worker's own beans ({@link WorkerClaimer}, {@link JobPerformer}, {@link RunningJobs},
 * {@link CompletionBatcher}, {@link WorkerErrors}), a recording handler and outcome listener, and Redis (the
 * queue and its connections) as Mockito mocks. {@code worker-claim}'s greedy scheduler and
 * {@code worker-cancel-signal}'s Redis subscription are replaced by {@code direct:} endpoints
 * ({@link AdviceWith}), so the test decides when a claim happens; {@link NotifyBuilder} waits for the pool.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = {CamelAutoConfiguration.class, WorkerRoutesTest.Beans.class},
        properties = {"camel.main.routes-include-pattern=false", "camel.springboot.main-run-controller=false"})
class WorkerRoutesTest {
    static final String WORKER = "route-test-worker";
    static final String CLAIM_IN = "direct:test-worker-claim";
    static final String CANCEL_IN = "direct:test-worker-cancel";

    /**
     * Runs {@code JobType.NOOP_JOB}: remembers each job it got; fails while {@link #failing} is set; while
     * {@link #untilCancelled} is set, counts {@link #started} down and waits for the job's cancellation.
     */
    static final class RecordingHandler implements JobHandler<Job> {
        final List<String> handled = new CopyOnWriteArrayList<>();
        volatile boolean failing;
        volatile boolean untilCancelled;
        volatile CountDownLatch started = new CountDownLatch(1);

        @Override
        public JobType type() {
            return JobType.NOOP_JOB;
        }

        @Override
        public Precondition<Job> precondition(Job job) {
            return Precondition.ready(job);
        }

        @Override
        public void handle(JobContext ctx, Job job) {
            handled.add(ctx.job().jobId());
            if (failing) throw new IllegalStateException("the forge answered 502");
            if (untilCancelled) {
                CountDownLatch cancelled = new CountDownLatch(1);
                ctx.onCancel(cancelled::countDown);
                started.countDown();
                try {
                    cancelled.await(30, TimeUnit.SECONDS); // the cancel also interrupts this thread
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        RedisJobQueue queue() {
            return mock(RedisJobQueue.class);
        }

        @Bean
        RedisConnectionFactory connections() {
            RedisConnectionFactory factory = mock(RedisConnectionFactory.class);
            when(factory.getConnection()).thenAnswer(i -> mock(RedisConnection.class));
            return factory;
        }

        @Bean
        RecordingHandler handler() {
            return new RecordingHandler();
        }

        @Bean
        RecordingListener listener() {
            return new RecordingListener();
        }

        @Bean(destroyMethod = "close")
        RunningJobs runningJobs(RedisJobQueue queue) {
            return new RunningJobs(queue, WORKER, 2, Duration.ofMinutes(10));
        }

        @Bean
        OutcomeListeners outcomeListeners(RecordingListener listener) {
            return new OutcomeListeners(List.of(listener));
        }

        @Bean(destroyMethod = "close")
        CompletionBatcher completionBatcher(RedisJobQueue queue, RunningJobs running, OutcomeListeners listeners) {
            return new CompletionBatcher(queue, running, listeners, 1); // one thread: the ack is queue.completeAndNext
        }

        @Bean
        JobPerformer jobPerformer(RecordingHandler handler, RunningJobs running, RedisJobQueue queue,
                                  CompletionBatcher acks, OutcomeListeners listeners) {
            return new JobPerformer(new HandlerRegistry(List.of(handler), RetryPolicy.defaults(3, 1, 2)), running, queue,
                    acks, new UsageLimitWait(Duration.ofMinutes(5), Duration.ofHours(6)), listeners, Duration.ofMinutes(1));
        }

        @Bean(destroyMethod = "close")
        WorkerClaimer workerClaimer(RedisJobQueue queue, RedisConnectionFactory connections, RunningJobs running,
                                    JobPerformer performer) {
            return new WorkerClaimer(queue, connections, running, performer, Duration.ofMinutes(10),
                    Duration.ofHours(1), 1000, 2);
        }

        @Bean
        WorkerErrors workerErrors(RunningJobs running) {
            return new WorkerErrors(running);
        }

        @Bean
        WorkerRoutes workerRoutes(WorkerClaimer claimer, JobPerformer performer, RunningJobs running) {
            return new WorkerRoutes(claimer, performer, running, 2, "deksdenflow:test-cancel");
        }
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate template;
    @Autowired
    RedisJobQueue queue;
    @Autowired
    RecordingHandler handler;
    @Autowired
    RecordingListener listener;
    @Autowired
    RunningJobs running;
    @EndpointInject("mock:performed")
    MockEndpoint performed;

    @BeforeEach
    void adviseOnceAndReset() throws Exception {
        if (!camel.getStatus().isStarted()) { // the context is shared by the tests of this class: advise it once
            AdviceWith.adviceWith(camel, WorkerRoutes.CLAIM_ROUTE_ID, a -> a.replaceFromWith(CLAIM_IN));
            AdviceWith.adviceWith(camel, "worker-cancel-signal", a -> a.replaceFromWith(CANCEL_IN));
            AdviceWith.adviceWith(camel, "worker-pool", a -> a.weaveAddLast().to("mock:performed"));
            camel.start();
        }
        MockEndpoint.resetMocks(camel);
        reset(queue);
        handler.handled.clear();
        handler.failing = false;
        handler.untilCancelled = false;
        handler.started = new CountDownLatch(1);
        listener.calls.clear();
        when(queue.reclaimExpired(anyString(), any(), anyInt())).thenReturn(new RedisJobQueue.Reclaimed(List.of(), List.of()));
    }

    ClaimedJob claimable() {
        Job job = Job.create(JobType.NOOP_JOB, 1L, 2L, null, 3, "req-1", System.currentTimeMillis());
        ClaimedJob claimed = new ClaimedJob(job, "1700000000000-0", WORKER);
        // the claim route's blocking read returns the job once; the pool thread's own read (claimNext) finds none
        when(queue.claim(any(), eq(WORKER), anyInt(), any())).thenReturn(List.of(claimed)).thenReturn(List.of());
        return claimed;
    }

    @Test
    void aClaimedJobReachesItsHandlerAndItsSuccessIsRecordedOnce() throws Exception {
        ClaimedJob claimed = claimable();
        when(queue.completeAndNext(claimed, true)).thenReturn(new RedisJobQueue.Completion(true, null));
        performed.expectedMessageCount(1);
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("worker-pool").whenCompleted(1).create();

        template.sendBody(CLAIM_IN, null);

        assertThat(done.matches(20, TimeUnit.SECONDS)).as("the pool ran the claimed job").isTrue();
        performed.assertIsSatisfied();
        assertThat(performed.getReceivedExchanges().get(0).getIn().getBody(ClaimedJob.class)).isEqualTo(claimed);
        assertThat(handler.handled).containsExactly(claimed.jobId());
        assertThat(listener.kinds(claimed.jobId())).containsExactly("start", "success");
        verify(queue, times(1)).completeAndNext(claimed, true);
        verify(queue, never()).retryLater(any(), anyLong(), anyString(), anyBoolean(), anyInt());
        verify(queue, never()).fail(any(), anyString(), anyInt());
        assertThat(running.context(claimed)).as("the job left the worker").isNull();
    }

    @Test
    void aFailedAttemptIsRecordedOnceAsARetry() throws Exception {
        ClaimedJob claimed = claimable();
        handler.failing = true;
        when(queue.retryLater(eq(claimed), anyLong(), anyString(), eq(true), eq(3))).thenReturn(true);
        performed.expectedMessageCount(1);
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("worker-pool").whenCompleted(1).create();

        template.sendBody(CLAIM_IN, null);

        assertThat(done.matches(20, TimeUnit.SECONDS)).as("the pool ran the claimed job").isTrue();
        performed.assertIsSatisfied();
        assertThat(handler.handled).containsExactly(claimed.jobId());
        assertThat(listener.kinds(claimed.jobId())).containsExactly("start", "retry");
        assertThat(listener.of(claimed.jobId()).get(1).error()).hasMessage("the forge answered 502");
        verify(queue, times(1)).retryLater(eq(claimed), anyLong(), eq("the forge answered 502"), eq(true), eq(3));
        verify(queue, never()).completeAndNext(any(), anyBoolean());
        verify(queue, never()).fail(any(), anyString(), anyInt());
        assertThat(running.context(claimed)).as("the job left the worker").isNull();
    }

    @Test
    void aCancelSignalStopsTheRunningJobAndItsFailureIsRecordedOnce() throws Exception {
        ClaimedJob claimed = claimable();
        handler.untilCancelled = true;
        when(queue.fail(eq(claimed), anyString(), eq(3))).thenReturn(true);
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("worker-pool").whenCompleted(1).create();

        template.sendBody(CLAIM_IN, null);
        assertThat(handler.started.await(20, TimeUnit.SECONDS)).as("the handler runs the job").isTrue();
        template.sendBody(CANCEL_IN, new CancelSignal(claimed.jobId(), null, "cancelled by the operator").toJson());

        assertThat(done.matches(20, TimeUnit.SECONDS)).as("the pool finished the cancelled job").isTrue();
        assertThat(handler.handled).containsExactly(claimed.jobId());
        assertThat(listener.kinds(claimed.jobId())).containsExactly("start", "final");
        assertThat(listener.of(claimed.jobId()).get(1).error())
                .isInstanceOf(JobCancelledException.class).hasMessage("cancelled: cancelled by the operator");
        verify(queue, times(1)).fail(claimed, "cancelled: cancelled by the operator", 3);
        verify(queue, never()).completeAndNext(any(), anyBoolean());
        verify(queue, never()).retryLater(any(), anyLong(), anyString(), anyBoolean(), anyInt());
        assertThat(running.context(claimed)).as("the job left the worker").isNull();
    }

    /**
     * worker-errors' redelivery policy: Redis refused the ack once; the redelivered exchange records the same
     * outcome again and does not run the job a second time.
     */
    @Test
    void anAckThatRedisRefusedOnceIsRedeliveredWithoutRunningTheJobAgain() throws Exception {
        ClaimedJob claimed = claimable();
        when(queue.completeAndNext(claimed, true))
                .thenThrow(new RedisConnectionFailureException("Redis down"))
                .thenReturn(new RedisJobQueue.Completion(true, null));
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("worker-pool").whenCompleted(1).create();

        template.sendBody(CLAIM_IN, null);

        assertThat(done.matches(20, TimeUnit.SECONDS)).as("the pool finished the exchange").isTrue();
        assertThat(handler.handled).as("the job ran once").containsExactly(claimed.jobId());
        verify(queue, times(2)).completeAndNext(claimed, true);
        assertThat(listener.kinds(claimed.jobId())).containsExactly("start", "success");
        assertThat(running.context(claimed)).as("the job left the worker").isNull();
    }

    /** Redis stays down through the redeliveries: the job is let go (still pending, taken over after its lease). */
    @Test
    void aRetryRedisKeepsRefusingIsLetGoAfterTheRedeliveries() throws Exception {
        ClaimedJob claimed = claimable();
        handler.failing = true;
        when(queue.retryLater(eq(claimed), anyLong(), anyString(), eq(true), eq(3)))
                .thenThrow(new RedisConnectionFailureException("Redis down"));
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute("worker-pool").whenCompleted(1).create();

        template.sendBody(CLAIM_IN, null);

        assertThat(done.matches(20, TimeUnit.SECONDS)).as("the pool finished the exchange").isTrue();
        assertThat(handler.handled).as("the job ran once").containsExactly(claimed.jobId());
        verify(queue, times(1 + WorkerErrors.REDELIVERIES)).retryLater(eq(claimed), anyLong(),
                eq("the forge answered 502"), eq(true), eq(3));
        assertThat(listener.kinds(claimed.jobId())).containsExactly("start");
        assertThat(running.context(claimed)).as("let go: its slot is free and its lease no longer renewed").isNull();
    }
}
