package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.api.model.EventPage;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * GET /events: one project's events (with its token), or, unscoped, those of the projects without a
 * token and of the projects whose token the request carries.
 */
@Component
public class EventApi {
    private final EventStore events;
    private final Access access;
    private final ProjectStore projects;

    EventApi(EventStore events, Access access, ProjectStore projects) {
        this.events = events;
        this.access = access;
        this.projects = projects;
    }

    public EventPage list(@Header("project_id") String projectId, @Header("before") String before,
                          @Header("limit") String limit, @Header("X-Project-Token") String token) {
        Long pid = ApiInput.optionalId("project_id", projectId);
        Long cursor = ApiInput.cursor("before", before);
        int n = ApiInput.limit(limit);
        ProjectTokens.Presented presented = ProjectTokens.presented(token);
        var page = pid == null
                ? events.excluding(projects.all().stream().filter(p -> !presented.allows(p)).map(Project::id).toList(),
                        cursor, n)
                : events.byProject(access.project(pid, token).id(), cursor, n);
        return new EventPage(ApiViews.items(page, ApiViews::event), ApiViews.cursor(page));
    }
}
