package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.queue.QueueInspector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** GET /queues and /queues/jobs: what the Redis queue holds, per state. */
@Component
public class QueueApi {
    private final QueueInspector inspector;

    QueueApi(QueueInspector inspector) {
        this.inspector = inspector;
    }

    public Map<String, Object> summary() {
        return inspector.summary();
    }

    public Map<String, Object> jobs(@Header("status") String status, @Header("limit") String limit) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", inspector.jobs(status == null || status.isBlank() ? "queued" : status, ApiInput.limit(limit)));
        out.put("next_cursor", null);
        return out;
    }
}
