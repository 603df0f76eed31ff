package io.deksdenflow.orchestrator.queue;

/** A job held by a worker: the stream entry it must ack, and the holder's id. */
public record ClaimedJob(Job job, String entryId, String workerId) {
    public String jobId() { return job.jobId(); }
}
