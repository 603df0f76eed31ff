package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/** {@code GET /queues/jobs}: {job_id, job_type, status, project_id, protocol_run_id, step_run_id, ...}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record QueueJobPage(List<Map<String, Object>> items, String nextCursor) implements Page<Map<String, Object>> {}
