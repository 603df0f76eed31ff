package io.deksdenflow.orchestrator.api.model;

import io.swagger.v3.oas.annotations.media.Schema;

/** An item of {@code GET /projects}: the full project, or {@link LockedProject} without its token. */
@Schema(oneOf = {ProjectView.class, LockedProject.class})
public sealed interface ProjectListItem permits ProjectView, LockedProject {}
