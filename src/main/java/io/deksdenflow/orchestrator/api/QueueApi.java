package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import io.deksdenflow.orchestrator.queue.QueueInspector;
import io.deksdenflow.orchestrator.project.ProjectStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * GET /queues and /queues/jobs: what the Redis queue holds, per state. Jobs of a token-protected
 * project are listed only to a request carrying that project's token.
 */
@Component
public class QueueApi {
    private final QueueInspector inspector;
    private final ProjectStore projects;

    QueueApi(QueueInspector inspector, ProjectStore projects) {
        this.inspector = inspector;
        this.projects = projects;
    }

    public Map<String, Object> summary() {
        return inspector.summary();
    }

    public Map<String, Object> jobs(@Header("status") String status, @Header("limit") String limit,
                                    @Header("X-Project-Token") String tokens) {
        ProjectTokens.Presented presented = ProjectTokens.presented(tokens);
        Set<Long> hidden = projects.all().stream().filter(p -> !presented.allows(p)).map(Project::id)
                .collect(Collectors.toSet());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", inspector.jobs(status == null || status.isBlank() ? "queued" : status, ApiInput.limit(limit))
                .stream().filter(j -> !hidden.contains(j.get("project_id"))).toList());
        out.put("next_cursor", null);
        return out;
    }
}
