package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /protocols/{id}/actions/reject_plan}: what the next plan should do differently. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"feedback"})
public record RejectPlan(@Schema(description = "1 to 10000 characters; goes into the next planning prompt") String feedback) {}
