package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.project.ProjectService;
import io.deksdenflow.orchestrator.store.ProjectStore;
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

    ProjectApi(ProjectService service, ProjectStore projects, Access access) {
        this.service = service;
        this.projects = projects;
        this.access = access;
    }

    public Map<String, Object> create(@Body String body) {
        ApiRequests.CreateProject r = ApiInput.json(body, ApiRequests.CreateProject.class);
        var result = service.create(new ProjectService.CreateProject(r.name(), r.gitUrl(), r.baseBranch(), r.ciProvider(),
                r.defaultEngine(), r.defaultModels(), r.secrets(), r.projectToken(),
                r.defaultEngines()));
        Map<String, Object> view = ApiViews.project(result.entity());
        view.put("job", ApiViews.job(result.job()));
        return view;
    }

    public Map<String, Object> list(@Header("after") String after, @Header("limit") String limit) {
        return ApiViews.page(projects.list(ApiInput.cursor("after", after), ApiInput.limit(limit)), ApiViews::project);
    }

    public Map<String, Object> get(@Header("id") String id, @Header("X-Project-Token") String token) {
        return ApiViews.project(access.project(id, token));
    }

    public Map<String, Object> setup(@Header("id") String id, @Header("X-Project-Token") String token) {
        return ApiViews.action(service.setup(access.project(id, token).id()), "project", ApiViews::project);
    }
}
