package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepView(long id, long protocolRunId, int stepIndex, String stepName, String stepType, String status,
                       String engine, String model, long tokensUsed, Double costUsd, String qaVerdict,
                       String qaReport, String qaVerdictSource, List<Map<String, Object>> qaChecks,
                       String executionCommit, String lastError, String startedAt, String finishedAt,
                       List<String> allowedActions, String createdAt, String updatedAt) {}
