package io.deksdenflow.orchestrator.worker;

import org.apache.camel.builder.RouteBuilder;

/**
 * The worker: {@code worker-claim} claims as many jobs as there are free slots and hands them to the
 * {@code worker-pool} (workerConcurrency consumers), which runs each job itself (handler by job type,
 * errors per {@code worker-errors}; {@code worker-dispatch} runs a single job the same way for callers of
 * {@link #DISPATCH}); a successful job's ack fetches the next
 * job for the same thread, so a busy worker claims without going back to {@code worker-claim}. {@code worker-cancel-signal} listens on the
 * cancel channel.
 */
public class WorkerRoutes extends RouteBuilder {
    public static final String DISPATCH = "direct:worker-dispatch";
    /** Greedy: polls again at once after each claim (the claim itself waits for slots and blocks on Redis). */
    static final String CLAIM = "scheduler:worker-claim?greedy=true&delay=10&initialDelay=0";
    /** The channel is {@link CancelSignals#channel()}; host and port are unused (the app's connection factory). */
    static String cancelUri(String channel) {
        return "spring-redis://localhost:6379?command=SUBSCRIBE&channels=" + channel
                + "&listenerContainer=#redisListenerContainer&connectionFactory=#redisConnectionFactory"
                + "&serializer=#stringRedisSerializer";
    }

    private final WorkerClaimer claimer;
    private final JobRunner runner;
    private final RunningJobs running;
    private final int concurrency;
    private final String cancelChannel;

    public WorkerRoutes(WorkerClaimer claimer, JobRunner runner, RunningJobs running, int concurrency,
                        String cancelChannel) {
        this.cancelChannel = cancelChannel;
        this.claimer = claimer;
        this.runner = runner;
        this.running = running;
        this.concurrency = concurrency;
    }

    String pool() {
        return "seda:worker-pool?size=" + (concurrency * 2) + "&concurrentConsumers=" + concurrency
                + "&blockWhenFull=true&pollTimeout=500";
    }

    @Override
    public void configure() {
        from(DISPATCH).routeId("worker-dispatch").startupOrder(100)
                .routeConfigurationId(WorkerErrors.ID)
                .bean(runner, "run");

        // a worker thread keeps going while each ack hands it the next job (one round trip per job). The
        // job runs in this route, not through direct:worker-dispatch: no route policy and no exchange events
        // per job (Camel and Micrometer took 40% of the CPU samples at concurrency 1, docs/benchmarks.md).
        // A failure goes to worker-errors (JobFailures), which ends the loop, as it did behind the hop.
        from(pool()).routeId("worker-pool").startupOrder(110)
                .routeConfigurationId(WorkerErrors.ID)
                .loopDoWhile(method(running, "isHeld"))
                    .bean(runner, "run")
                .end();

        from(CLAIM).routeId("worker-claim").startupOrder(120)
                .bean(claimer, "claim")
                .split(body())
                    .to(pool());

        from(cancelUri(cancelChannel)).routeId("worker-cancel-signal").startupOrder(130)
                .bean(CancelSignal.class, "parse")
                .bean(running, "cancelMatching");
    }
}
