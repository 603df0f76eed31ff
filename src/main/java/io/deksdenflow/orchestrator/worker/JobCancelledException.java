package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.JobFailure;

/** The job was cancelled (cancel signal, lease lost, shutdown); never retried. */
public class JobCancelledException extends JobFailure {
    public JobCancelledException(String reason) { super("cancelled: " + reason); }
}
