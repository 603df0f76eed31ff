package io.deksdenflow.orchestrator.queue;

import java.util.UUID;

/**
 * A unit of work as it travels through the outbox and Redis. {@code attempt} starts at 1.
 * Ids of the project / protocol run / step run it concerns are carried for tracing and for the
 * handlers' state checks.
 */
public record Job(
        String jobId,
        JobType type,
        Long projectId,
        Long protocolRunId,
        Long stepRunId,
        int attempt,
        int maxAttempts,
        String requestId,
        long enqueuedAt) {

    public static Job create(JobType type, Long projectId, Long protocolRunId, Long stepRunId,
                             int maxAttempts, String requestId, long now) {
        return new Job(UUID.randomUUID().toString(), type, projectId, protocolRunId, stepRunId, 1, maxAttempts, requestId, now);
    }

    public Job withAttempt(int next) {
        return new Job(jobId, type, projectId, protocolRunId, stepRunId, next, maxAttempts, requestId, enqueuedAt);
    }

    /** The same job under its type's retry policy's attempts (the worker's, see RedisJobQueue#retryLater). */
    public Job withMaxAttempts(int max) {
        return new Job(jobId, type, projectId, protocolRunId, stepRunId, attempt, max, requestId, enqueuedAt);
    }
}
