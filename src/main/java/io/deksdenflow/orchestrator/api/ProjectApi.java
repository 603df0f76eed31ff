package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.project.ProjectService;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import io.deksdenflow.orchestrator.project.ProjectStore;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Project endpoints: parse, check access, call the service, shape the JSON. */
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

    public Map<String, Object> create(@Body String body) {
        ApiRequests.CreateProject r = ApiInput.json(body, ApiRequests.CreateProject.class);
        var result = service.create(new ProjectService.CreateProject(r.name(), r.gitUrl(), r.baseBranch(), r.ciProvider(),
                r.defaultEngine(), r.defaultModels(), r.secrets(), r.projectToken(), r.checks(), r.budget(),
                r.defaultEngines()));
        Map<String, Object> view = views.project(result.entity());
        view.put("job", ApiViews.job(result.job()));
        return view;
    }

    /** Every project; a token-protected one in full only when one of the request's X-Project-Tokens is its token. */
    public Map<String, Object> list(@Header("after") String after, @Header("limit") String limit,
                                    @Header("X-Project-Token") String tokens) {
        ProjectTokens.Presented presented = ProjectTokens.presented(tokens);
        return ApiViews.page(projects.list(ApiInput.cursor("after", after), ApiInput.limit(limit)),
                p -> presented.allows(p) ? views.project(p) : ApiViews.lockedProject(p));
    }

    public Map<String, Object> get(@Header("id") String id, @Header("X-Project-Token") String token) {
        return views.project(access.project(id, token));
    }

    public Map<String, Object> setup(@Header("id") String id, @Header("X-Project-Token") String token) {
        return ApiViews.action(service.setup(access.project(id, token).id()), "project", views::project);
    }
}
