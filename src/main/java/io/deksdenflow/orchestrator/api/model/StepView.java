package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepView(long id, long protocolRunId, int stepIndex, String stepName, String stepType, String status,
                       String engine, String model, long tokensUsed, Double costUsd, String qaVerdict,
                       @JsonSerialize(using = HidePaths.class) String qaReport, String qaVerdictSource, List<Map<String, Object>> qaChecks,
                       String executionCommit, @JsonSerialize(using = HidePaths.class) String lastError, String startedAt, String finishedAt,
                       List<String> allowedActions, String createdAt, String updatedAt) {}
