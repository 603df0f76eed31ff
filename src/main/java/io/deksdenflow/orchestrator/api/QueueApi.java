package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.api.model.QueueJobPage;
import io.deksdenflow.orchestrator.api.model.QueueSummary;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import io.deksdenflow.orchestrator.queue.QueueInspector;
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

    @SuppressWarnings("unchecked")
    public QueueSummary summary() {
        Map<String, Object> s = inspector.summary();
        return new QueueSummary(String.valueOf(s.get("backend")), (Map<String, Object>) s.get("queues"));
    }

    public QueueJobPage jobs(@Header("status") String status, @Header("limit") String limit,
                             @Header("X-Project-Token") String tokens) {
        ProjectTokens.Presented presented = ProjectTokens.presented(tokens);
        Set<Long> hidden = projects.all().stream().filter(p -> !presented.allows(p)).map(Project::id)
                .collect(Collectors.toSet());
        return new QueueJobPage(inspector.jobs(status == null || status.isBlank() ? "queued" : status, ApiInput.limit(limit))
                .stream().filter(j -> !hidden.contains(j.get("project_id"))).toList(), null);
    }
}
