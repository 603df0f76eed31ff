package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.queue.JobType;

/** No handler bean for the job's type in this build; never retried. */
final class JobTypeUnavailableException extends JobFailure {
    JobTypeUnavailableException(JobType type) {
        super("job type " + type.api() + " is not available in this build");
    }
}
