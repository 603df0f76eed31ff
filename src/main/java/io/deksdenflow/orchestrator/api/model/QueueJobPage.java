package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;

/** {@code GET /queues/jobs}: {job_id, job_type, status, project_id, protocol_run_id, step_run_id, ...}; server paths in them hidden. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueueJobPage(@JsonSerialize(contentUsing = HidePaths.InMetadata.class) List<Map<String, Object>> items, String nextCursor) implements Page<Map<String, Object>> {}
