package io.deksdenflow.orchestrator.api;

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

    PathViews(Settings settings) {
        this.exposePaths = settings.isExposePaths();
    }

    Map<String, Object> project(Project p) {
        Map<String, Object> m = ApiViews.project(p);
        if (exposePaths) m.put("local_path", p.localPath());
        return m;
    }

    Map<String, Object> protocol(ProtocolRun p) {
        Map<String, Object> m = ApiViews.protocol(p);
        if (exposePaths) m.put("worktree_path", p.worktreePath());
        return m;
    }
}
