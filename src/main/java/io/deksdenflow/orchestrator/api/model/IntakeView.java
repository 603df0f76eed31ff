package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** A project's intake as stored: {@code checks} null when it declares none (the project's apply). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"label", "auto_start", "engines"})
public record IntakeView(String label, boolean autoStart, Map<String, String> engines, List<CheckView> checks) {}
