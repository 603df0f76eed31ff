package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** {@code GET /runs/{id}/log}: the last 64 KiB of an engine run's log. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunLogView(long runId, String log, boolean truncated) {}
