package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;

/** What a listing shows of a token-protected project to a request without its token. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"id", "has_project_token", "locked"})
public record LockedProject(long id, boolean hasProjectToken, boolean locked) implements ProjectListItem {}
