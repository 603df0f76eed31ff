package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;

/** A protocol run; {@code worktree_path} only when DEKSDENFLOW_EXPOSE_PATHS=true. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProtocolView(long id, long projectId, String protocolName, String description, String baseBranch,
                           String engine, Map<String, String> engines, boolean autoAdvance, String status,
                           String pausedFrom, String prUrl, long tokensUsed, Double costUsd,
                           List<CheckView> checks, Long maxTokens, Double maxCostUsd,
                           Map<String, Object> budgetExceeded, @JsonSerialize(using = HidePaths.class) String lastError, List<String> allowedActions,
                           Long issueNumber, String issueUrl, String createdAt, String updatedAt,
                           @JsonAnyGetter Map<String, Object> paths) {}
