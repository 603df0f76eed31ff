package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** A question a step's agent asked, and the person's answer (null while it is open). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"question", "asked_at"})
public record QuestionView(String question, String answer, String askedAt, String answeredAt) {}
