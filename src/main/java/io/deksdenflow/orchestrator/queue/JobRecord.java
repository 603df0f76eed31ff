package io.deksdenflow.orchestrator.queue;

import io.deksdenflow.orchestrator.common.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A job's Redis hash, in the field order of the Lua scripts' {@code FIELDS}. */
public record JobRecord(String jobId, String jobType, Long projectId, Long protocolRunId, Long stepRunId,
                        int attempt, int maxAttempts, String requestId, Long enqueuedAt, String entryId,
                        String status, Long startedAt, Long finishedAt, String workerId, String lastError) {

    static final int WIDTH = 15;

    static JobRecord from(List<?> values, int offset) {
        return new JobRecord(str(values, offset), str(values, offset + 1), num(values, offset + 2),
                num(values, offset + 3), num(values, offset + 4), (int) orZero(num(values, offset + 5)),
                (int) orZero(num(values, offset + 6)), str(values, offset + 7), num(values, offset + 8),
                str(values, offset + 9), str(values, offset + 10), num(values, offset + 11),
                num(values, offset + 12), str(values, offset + 13), str(values, offset + 14));
    }

    static String[] pushArgs(Job job, int defaultMaxAttempts) {
        return new String[] {job.jobId(), job.type().name(), text(job.projectId()), text(job.protocolRunId()),
                text(job.stepRunId()), Integer.toString(Math.max(1, job.attempt())),
                Integer.toString(job.maxAttempts() > 0 ? job.maxAttempts() : defaultMaxAttempts), job.requestId() == null ? "" : job.requestId(),
                Long.toString(job.enqueuedAt())};
    }

    public Job toJob() {
        return new Job(jobId, JobType.valueOf(jobType), projectId, protocolRunId, stepRunId, attempt, maxAttempts,
                requestId, enqueuedAt == null ? 0 : enqueuedAt);
    }

    /** The snake_case view served by GET /queues/jobs. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", jobId);
        m.put("job_type", jobType == null ? null : JobType.valueOf(jobType).api());
        m.put("status", status);
        m.put("project_id", projectId);
        m.put("protocol_run_id", protocolRunId);
        m.put("step_run_id", stepRunId);
        m.put("attempt", attempt);
        m.put("max_attempts", maxAttempts);
        m.put("enqueued_at", Clock.iso(enqueuedAt));
        m.put("started_at", Clock.iso(startedAt));
        m.put("finished_at", Clock.iso(finishedAt));
        m.put("worker_id", workerId);
        m.put("last_error", lastError);
        return m;
    }

    private static String text(Long v) { return v == null ? "" : v.toString(); }

    private static long orZero(Long v) { return v == null ? 0 : v; }

    private static String str(List<?> values, int i) {
        Object v = values.get(i);
        return v == null || v.toString().isEmpty() ? null : v.toString();
    }

    private static Long num(List<?> values, int i) {
        String s = str(values, i);
        return s == null ? null : Long.valueOf(s);
    }
}
