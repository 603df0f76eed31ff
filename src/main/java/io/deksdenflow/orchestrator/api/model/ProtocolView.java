package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** A protocol run; {@code worktree_path} only when DEKSDENFLOW_EXPOSE_PATHS=true. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ProtocolView(long id, long projectId, String protocolName, String description, String baseBranch,
                           String engine, Map<String, String> engines, boolean autoAdvance, String status,
                           String pausedFrom, String prUrl, long tokensUsed, Double costUsd,
                           List<CheckView> checks, Long maxTokens, Double maxCostUsd,
                           Map<String, Object> budgetExceeded, @JsonSerialize(using = HidePaths.class) String lastError, List<String> allowedActions,
                           Long issueNumber, String issueUrl,
                           @Schema(description = "the protocol's own plan_approval (required or auto); null: its project's",
                                   allowableValues = {"required", "auto"}) String planApproval,
                           @Schema(description = "true while its plan waits for approve_plan or reject_plan (status planned, or paused from there)")
                           boolean awaitingPlanApproval,
                           @Schema(description = "how often its plan was rejected (reject_plan), at most DEKSDENFLOW_REPLAN_ATTEMPTS")
                           int replans, String createdAt, String updatedAt,
                           @JsonAnyGetter Map<String, Object> paths) {}
