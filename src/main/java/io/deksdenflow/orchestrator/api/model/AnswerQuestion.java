package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** {@code POST /steps/{id}/actions/answer}: the answer to the question the step's agent asked. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"text"})
public record AnswerQuestion(@Schema(description = "1 to 10000 characters; the step runs again with the question and this answer in its prompt")
                             String text) {}
