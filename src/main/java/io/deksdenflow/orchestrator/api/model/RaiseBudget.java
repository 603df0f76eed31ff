package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** {@code POST /protocols/{id}/actions/raise_budget}: the paused protocol's new limits (at least one). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RaiseBudget(Long maxTokens, Double maxCostUsd) {}
