package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventView(long id, long projectId, Long protocolRunId, Long stepRunId, String eventType,
                        String message, Map<String, Object> metadata, String createdAt) {}
