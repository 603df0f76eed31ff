package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.Map;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EventView(long id, long projectId, Long protocolRunId, Long stepRunId, String eventType,
                        @JsonSerialize(using = HidePaths.class) String message,
                        @JsonSerialize(using = HidePaths.InMetadata.class) Map<String, Object> metadata, String createdAt) {}
