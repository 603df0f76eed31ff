package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.JobType;
import org.springframework.stereotype.Component;

/** NOOP_JOB: does nothing; used by queue checks and the queue benchmark. */
@Component
class NoopJobHandler implements JobHandler {
    @Override
    public JobType type() { return JobType.NOOP_JOB; }

    @Override
    public void handle(JobContext ctx) {
        // nothing to do
    }
}
