package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.project.Budget;

/** A project's budget limits; each optional, 0 = no limit. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BudgetSpec(Long maxTokensPerStep, Long maxTokensPerProtocol, Double maxCostUsdPerStep,
                         Double maxCostUsdPerProtocol, Double maxCostUsdPerProjectMonth) {
    Budget budget() {
        return new Budget(maxTokensPerStep, maxTokensPerProtocol, maxCostUsdPerStep, maxCostUsdPerProtocol,
                maxCostUsdPerProjectMonth);
    }
}
