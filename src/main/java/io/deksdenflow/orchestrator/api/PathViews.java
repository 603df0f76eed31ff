package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.api.model.ChannelView;
import io.deksdenflow.orchestrator.api.model.ProjectView;
import io.deksdenflow.orchestrator.api.model.ProtocolView;
import io.deksdenflow.orchestrator.budget.ProjectCosts;
import io.deksdenflow.orchestrator.http.ApiSettings;
import io.deksdenflow.orchestrator.notify.NotifyChannels;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import java.util.HashMap;
import java.util.List;
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
    private final NotifyChannels notifications;

    PathViews(ApiSettings settings, ProjectCosts costs, NotifyChannels notifications) {
        this.exposePaths = settings.exposePaths();
        this.costs = costs;
        this.notifications = notifications;
    }

    /** The project with its spend ({@code usage}: tokens, cost in total and this month). */
    ProjectView project(Project p) {
        List<Map<String, Object>> channels = notifications.view(p.id());
        return ApiViews.project(p, channels == null ? null : channels.stream().map(ChannelView::of).toList(),
                costs.view(p.id()), path("local_path", p.localPath()));
    }

    ProtocolView protocol(ProtocolRun p) {
        return ApiViews.protocol(p, path("worktree_path", p.worktreePath()));
    }

    private Map<String, Object> path(String key, String value) {
        if (!exposePaths) return Map.of();
        Map<String, Object> m = new HashMap<>();
        m.put(key, value);
        return m;
    }
}
