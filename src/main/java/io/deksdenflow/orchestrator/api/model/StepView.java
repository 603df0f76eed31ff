package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StepView(long id, long protocolRunId, int stepIndex, String stepName, String stepType, String status,
                       String engine, String model, long tokensUsed, Double costUsd, String qaVerdict,
                       @JsonSerialize(using = HidePaths.class) String qaReport, String qaVerdictSource, List<Map<String, Object>> qaChecks,
                       String executionCommit, @JsonSerialize(using = HidePaths.class) String lastError, String startedAt, String finishedAt,
                       List<String> allowedActions,
                       @Schema(description = "why a blocked step waits: needs_input (its agent asked a question; answer it); else null")
                       String blockedReason,
                       @Schema(description = "the questions its agent asked and the answers, oldest first")
                       List<QuestionView> questions, String createdAt, String updatedAt) {}
