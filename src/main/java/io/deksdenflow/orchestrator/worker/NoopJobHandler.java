package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import org.springframework.stereotype.Component;

/** NOOP_JOB: needs nothing and does nothing; used by queue checks and the queue benchmark. */
@Component
class NoopJobHandler implements JobHandler<Job> {
    @Override
    public JobType type() { return JobType.NOOP_JOB; }

    @Override
    public Precondition<Job> precondition(Job job) { return Precondition.ready(job); }

    @Override
    public void handle(JobContext ctx, Job job) {
        // nothing to do
    }
}
