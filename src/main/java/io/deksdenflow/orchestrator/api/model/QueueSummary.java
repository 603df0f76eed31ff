package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/** {@code GET /queues}: {@code {"backend":"redis","queues":{"default":{"queued":n,...}}}}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueueSummary(String backend, Map<String, Object> queues) {}
