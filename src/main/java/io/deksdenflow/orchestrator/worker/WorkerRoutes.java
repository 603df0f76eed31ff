package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The worker: {@code worker-claim} claims as many jobs as there are free slots and hands them to the
 * {@code worker-pool} (workerConcurrency consumers). A pool thread runs its job with {@link JobPerformer}, which
 * decides and records the outcome; a successful job's ack fetches the next job for the same thread, and a thread
 * whose ack found none waits briefly for the next new job itself, so a busy worker keeps going without
 * {@code worker-claim} (which also promotes due retries and takes over expired leases). Route configuration
 * {@link WorkerErrors} gets only what escapes the performer (infrastructure): it redelivers the recording of an
 * outcome Redis refused, never the job. {@code worker-cancel-signal} listens on the cancel channel.
 */
final class WorkerRoutes extends RouteBuilder {
    /** Greedy: polls again at once after each claim (the claim itself waits for slots and blocks on Redis). */
    static final String CLAIM_ROUTE_ID = "worker-claim";
    static final String CLAIM = "scheduler:worker-claim?greedy=true&delay=10&initialDelay=0";
    /** The channel is {@link CancelSignals#channel()}; host and port are unused (the app's connection factory). */
    static String cancelUri(String channel) {
        return "spring-redis://localhost:6379?command=SUBSCRIBE&channels=" + channel
                + "&listenerContainer=#redisListenerContainer&connectionFactory=#redisConnectionFactory"
                + "&serializer=#stringRedisSerializer";
    }

    /** Exchange property: the attempt whose outcome Redis refused to record (redelivered by worker-errors). */
    static final String UNRECORDED = "deksdenflowUnrecordedAttempt";
    /** Exchange property: the body's job has its outcome recorded (a redelivery must not run it again). */
    static final String RECORDED = "deksdenflowAttemptRecorded";

    private final WorkerClaimer claimer;
    private final JobPerformer performer;
    private final RunningJobs running;
    private final int concurrency;
    private final String cancelChannel;

    WorkerRoutes(WorkerClaimer claimer, JobPerformer performer, RunningJobs running, int concurrency,
                 String cancelChannel) {
        this.cancelChannel = cancelChannel;
        this.claimer = claimer;
        this.performer = performer;
        this.running = running;
        this.concurrency = concurrency;
    }

    String pool() {
        return "seda:worker-pool?size=" + (concurrency * 2) + "&concurrentConsumers=" + concurrency
                + "&blockWhenFull=true&pollTimeout=200"; // Camel's graceful stop waits for the current poll
    }

    @Override
    public void configure() {
        // a pool thread keeps going while each ack hands it the next job (one round trip per job); plain Java
        // per job, no Camel step, route policy or exchange event (docs/benchmarks.md)
        from(pool()).routeId("worker-pool").startupOrder(110)
                .routeConfigurationId(WorkerErrors.ID)
                .process(this::performAll);

        from(CLAIM).routeId(CLAIM_ROUTE_ID).startupOrder(120)
                .process(e -> e.getIn().setBody(claimer.claim()))
                .split(body())
                    .to(pool());

        from(cancelUri(cancelChannel)).routeId("worker-cancel-signal").startupOrder(130)
                .process(e -> running.cancelMatching(CancelSignal.parse(e.getIn().getBody(String.class))));
    }

    /**
     * Runs the job in the body, every job its ack hands over and, when the queue had none left, the next one this
     * thread claims itself within a short wait (no hand-off); the body is always the job being run. An outcome
     * that Redis refused stays on the exchange ({@link #UNRECORDED}): when {@code worker-errors} redelivers the
     * exchange, only that outcome is recorded again, and a job already recorded ({@link #RECORDED}) never runs
     * twice.
     */
    void performAll(Exchange exchange) {
        JobPerformer.Attempt unrecorded = exchange.getProperty(UNRECORDED, JobPerformer.Attempt.class);
        ClaimedJob next;
        if (unrecorded != null) next = record(exchange, unrecorded); // a redelivery: record, do not run again
        else if (exchange.getProperty(RECORDED, false, Boolean.class)) next = null;
        else next = run(exchange, exchange.getIn().getBody(ClaimedJob.class));
        while (true) {
            if (next == null) next = claimer.claimNext();
            if (next == null) return;
            exchange.getIn().setBody(next);
            exchange.setProperty(RECORDED, false);
            next = run(exchange, next);
        }
    }

    private ClaimedJob run(Exchange exchange, ClaimedJob job) {
        if (job == null) return null;
        JobPerformer.Attempt attempt = performer.attempt(job);
        if (attempt != null) return record(exchange, attempt);
        exchange.setProperty(RECORDED, true); // handed back before it started: nothing to record
        return null;
    }

    private ClaimedJob record(Exchange exchange, JobPerformer.Attempt attempt) {
        exchange.setProperty(UNRECORDED, attempt);
        ClaimedJob next = performer.record(attempt); // Redis refused: escapes with the outcome still on the exchange
        exchange.removeProperty(UNRECORDED);
        exchange.setProperty(RECORDED, true);
        return next;
    }
}
