package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.store.EventStore;
import java.util.Map;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** GET /events: one project's events (with its token), or those of projects without a token. */
@Component
public class EventApi {
    private final EventStore events;
    private final Access access;

    EventApi(EventStore events, Access access) {
        this.events = events;
        this.access = access;
    }

    public Map<String, Object> list(@Header("project_id") String projectId, @Header("before") String before,
                                    @Header("limit") String limit, @Header("X-Project-Token") String token) {
        Long pid = ApiInput.optionalId("project_id", projectId);
        Long cursor = ApiInput.cursor("before", before);
        int n = ApiInput.limit(limit);
        if (pid == null) return ApiViews.page(events.ofOpenProjects(cursor, n), ApiViews::event);
        Project p = access.project(pid, token);
        return ApiViews.page(events.byProject(p.id(), cursor, n), ApiViews::event);
    }
}
