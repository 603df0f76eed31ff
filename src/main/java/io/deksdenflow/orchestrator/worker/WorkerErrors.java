package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.queue.ClaimedJob;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessException;

/**
 * Route configuration {@code worker-errors}: infrastructure only. A job's own failures are outcomes that
 * {@link JobPerformer} decides and records, and their retries are the queue's (a delayed entry in Redis with
 * its attempt count), never Camel's. What reaches this configuration is a failure to record an outcome (Redis
 * unreachable during the ack, the retry or the dead letter) or to claim the next job.
 *
 * <p>The one Camel redelivery policy of the worker: a Redis failure ({@link DataAccessException}) is redelivered
 * {@link #REDELIVERIES} times, {@link #REDELIVERY_DELAY_MS} ms apart — the redelivered exchange records the
 * outcome still pending on it ({@link WorkerRoutes#UNRECORDED}) and does not run the job again — so that a blip
 * of Redis does not cost a whole re-run of the job. When the redeliveries are exhausted (or anything else
 * escaped) the job is still held and still pending in the stream: this worker lets go of it (its slot frees up
 * and its lease is no longer renewed), so that after one lease a worker takes it over and runs it again with
 * attempt + 1 (or dead-letters it after its last attempt). Nothing is lost.
 */
final class WorkerErrors extends RouteConfigurationBuilder {
    static final String ID = "worker-errors";
    /** Short and few: a pool thread (a worker slot) waits through them, holding the job's lease. */
    static final int REDELIVERIES = 2;
    static final long REDELIVERY_DELAY_MS = 250;
    private static final Logger log = LoggerFactory.getLogger(WorkerErrors.class);
    private final RunningJobs running;

    WorkerErrors(RunningJobs running) {
        this.running = running;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(DataAccessException.class)
                    .maximumRedeliveries(REDELIVERIES)
                    .redeliveryDelay(REDELIVERY_DELAY_MS)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .handled(true)
                    .process(this::letGo)
                .end()
                .onException(Throwable.class)
                    .handled(true)
                    .process(this::letGo);
    }

    void letGo(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Object body = exchange.getIn().getBody();
        boolean recorded = exchange.getProperty(WorkerRoutes.RECORDED, false, Boolean.class);
        if (body instanceof ClaimedJob job && !recorded) {
            log.warn("job {}: its outcome could not be recorded ({}); it stays pending and is taken over after its lease",
                    job.jobId(), NestedExceptionUtils.getMostSpecificCause(error).toString());
            running.done(job);
        } else {
            log.warn("worker route failed: {}", LogText.escape(error));
        }
    }
}
