package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.JobFailure;
import java.time.Duration;

/** The job ran longer than DEKSDENFLOW_JOB_TIMEOUT; never retried. */
final class JobTimedOutException extends JobFailure {
    JobTimedOutException(Duration limit) { super("timed out after " + limit.toSeconds() + " s"); }
}
