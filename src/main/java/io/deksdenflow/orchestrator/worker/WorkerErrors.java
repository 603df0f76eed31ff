package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.queue.ClaimedJob;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;

/**
 * Route configuration {@code worker-errors}: infrastructure only. A job's own failures are outcomes that
 * {@link JobPerformer} decides and records; what reaches this configuration is a failure to record one (Redis
 * unreachable during the ack or the retry). The job is then still held and still pending in the stream: this
 * worker lets go of it (its slot frees up and its lease is no longer renewed), so that after one lease a worker
 * takes it over and runs it again with attempt + 1 (or dead-letters it after its last attempt). Nothing is lost
 * and nothing is retried in-process.
 */
final class WorkerErrors extends RouteConfigurationBuilder {
    static final String ID = "worker-errors";
    private static final Logger log = LoggerFactory.getLogger(WorkerErrors.class);
    private final RunningJobs running;

    WorkerErrors(RunningJobs running) {
        this.running = running;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Throwable.class)
                .handled(true)
                .process(this::letGo);
    }

    void letGo(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Object body = exchange.getIn().getBody();
        if (body instanceof ClaimedJob job) {
            log.warn("job {}: its outcome could not be recorded ({}); it stays pending and is taken over after its lease",
                    job.jobId(), NestedExceptionUtils.getMostSpecificCause(error).toString());
            running.done(job);
        } else {
            log.warn("worker route failed: {}", LogText.escape(error));
        }
    }
}
