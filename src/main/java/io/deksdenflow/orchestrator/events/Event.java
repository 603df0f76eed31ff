package io.deksdenflow.orchestrator.events;

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
}
