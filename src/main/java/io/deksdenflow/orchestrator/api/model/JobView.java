package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The job an action enqueued; {@code status} is always {@code queued} at that moment. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record JobView(String jobId, String jobType, String status) {}
