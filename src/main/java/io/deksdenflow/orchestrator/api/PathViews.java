package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.budget.ProjectCosts;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Project and protocol views, with the server's disk paths ({@code local_path},
 * {@code worktree_path}) only when DEKSDENFLOW_EXPOSE_PATHS=true (single-user setups).
 */
@Component
class PathViews {
    private final boolean exposePaths;
    private final ProjectCosts costs;

    PathViews(Settings settings, ProjectCosts costs) {
        this.exposePaths = settings.isExposePaths();
        this.costs = costs;
    }

    /** The project with its spend ({@code usage}: tokens, cost in total and this month). */
    Map<String, Object> project(Project p) {
        Map<String, Object> m = ApiViews.project(p);
        m.put("usage", costs.view(p.id()));
        if (exposePaths) m.put("local_path", p.localPath());
        return m;
    }

    Map<String, Object> protocol(ProtocolRun p) {
        Map<String, Object> m = ApiViews.protocol(p);
        if (exposePaths) m.put("worktree_path", p.worktreePath());
        return m;
    }
}
