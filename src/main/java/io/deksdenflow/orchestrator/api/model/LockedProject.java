package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** What a listing shows of a token-protected project to a request without its token. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LockedProject(long id, boolean hasProjectToken, boolean locked) implements ProjectListItem {}
