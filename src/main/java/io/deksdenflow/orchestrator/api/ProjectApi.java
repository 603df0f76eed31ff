package io.deksdenflow.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.api.model.CreateProject;
import io.deksdenflow.orchestrator.api.model.ProjectActionResponse;
import io.deksdenflow.orchestrator.api.model.ProjectPage;
import io.deksdenflow.orchestrator.api.model.ProjectView;
import io.deksdenflow.orchestrator.api.model.UpdateProject;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectService;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Project endpoints: check access, call the service, build the view. */
@Component
public class ProjectApi {
    private final ProjectService service;
    private final ProjectStore projects;
    private final Access access;
    private final PathViews views;

    ProjectApi(ProjectService service, ProjectStore projects, Access access, PathViews views) {
        this.service = service;
        this.projects = projects;
        this.access = access;
        this.views = views;
    }

    public ProjectView create(@Body Object body) {
        var result = service.create(ApiInput.body(body, CreateProject.class).command());
        return views.project(result.entity()).withJob(ApiViews.job(result.job()));
    }

    /** Every project; a token-protected one in full only when one of the request's X-Project-Tokens is its token. */
    public ProjectPage list(@Header("after") String after, @Header("limit") String limit,
                            @Header("X-Project-Token") String tokens) {
        ProjectTokens.Presented presented = ProjectTokens.presented(tokens);
        var page = projects.list(ApiInput.cursor("after", after), ApiInput.limit(limit));
        return new ProjectPage(ApiViews.items(page, p -> presented.allows(p) ? views.project(p) : ApiViews.lockedProject(p)),
                ApiViews.cursor(page));
    }

    public ProjectView get(@Header("id") String id, @Header("X-Project-Token") String token) {
        return views.project(access.project(id, token));
    }

    /** {@code PATCH /projects/{id}}: read here (absent and null fields differ), then one service call. */
    public ProjectActionResponse update(@Header("id") String id, @Header("X-Project-Token") String token,
                                        @Body String body) throws JsonProcessingException {
        Project p = access.project(id, token);
        ObjectNode fields = ApiInput.object(body);
        UpdateProject req = ApiInput.fields(fields, UpdateProject.class);
        var r = service.update(p.id(), req.command(ApiInput.given(fields)));
        return new ProjectActionResponse(r.message(), views.project(r.entity()), null);
    }

    public ProjectActionResponse setup(@Header("id") String id, @Header("X-Project-Token") String token) {
        var r = service.setup(access.project(id, token).id());
        return new ProjectActionResponse(r.message(), views.project(r.entity()), ApiViews.job(r.job()));
    }
}
