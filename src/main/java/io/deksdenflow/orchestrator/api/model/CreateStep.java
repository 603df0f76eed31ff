package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.protocol.StepService;

/** {@code POST /protocols/{id}/steps}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateStep(Integer stepIndex, String stepName, String stepType) {
    public StepService.CreateStep command() {
        return new StepService.CreateStep(stepIndex, stepName, stepType);
    }
}
