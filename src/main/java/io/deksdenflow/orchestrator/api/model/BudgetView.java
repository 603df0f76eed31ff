package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BudgetView(Long maxTokensPerStep, Long maxTokensPerProtocol, Double maxCostUsdPerStep,
                         Double maxCostUsdPerProtocol, Double maxCostUsdPerProjectMonth) {}
