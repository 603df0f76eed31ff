package io.deksdenflow.orchestrator.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only views of the queue for GET /queues and GET /queues/jobs. */
public class QueueInspector {
    public static final int MAX_LIMIT = 500;
    private final RedisJobQueue queue;

    public QueueInspector(RedisJobQueue queue) {
        this.queue = queue;
    }

    /** {@code {"backend":"redis","queues":{"default":{"queued":n,"started":n,...}}}}. */
    public Map<String, Object> summary() {
        Map<String, Object> counts = new LinkedHashMap<>();
        queue.counts().forEach((status, n) -> counts.put(status.key(), n));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backend", "redis");
        out.put("queues", Map.of("default", counts));
        return out;
    }

    /** Jobs of one status as snake_case maps; an unknown status is a ValidationException("status"). */
    public List<Map<String, Object>> jobs(String status, int limit) {
        JobStatus parsed = JobStatus.parse(status);
        int capped = Math.max(1, Math.min(limit <= 0 ? 50 : limit, MAX_LIMIT));
        return queue.list(parsed, capped).stream().map(JobRecord::toMap).toList();
    }
}
