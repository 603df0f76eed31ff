package io.deksdenflow.orchestrator.events;

import io.deksdenflow.orchestrator.common.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** One entry of the append-only event log. */
public record Event(
        long id,
        long projectId,
        Long protocolRunId,
        Long stepRunId,
        String eventType,
        String message,
        Map<String, Object> metadata,
        long createdAt) {

    /** The API's JSON shape of an event (snake_case, ISO-8601 time). */
    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("project_id", projectId);
        m.put("protocol_run_id", protocolRunId);
        m.put("step_run_id", stepRunId);
        m.put("event_type", eventType);
        m.put("message", message);
        m.put("metadata", metadata);
        m.put("created_at", Clock.iso(createdAt));
        return m;
    }
}
