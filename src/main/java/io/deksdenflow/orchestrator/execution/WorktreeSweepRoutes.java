package io.deksdenflow.orchestrator.execution;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Route {@code workspace-sweep}: every 5 minutes (first after 10 s) {@link WorktreeSweeper#sweep} removes the
 * worktrees of protocols finished longer than DEKSDENFLOW_WORKTREE_TTL_HOURS ago and measures the workspace for
 * {@code workspace_cache_bytes}. Every process runs it on its own workspace.
 */
@Component
class WorktreeSweepRoutes extends RouteBuilder {
    static final String ROUTE_ID = "workspace-sweep";
    static final String TIMER = "timer:" + ROUTE_ID + "?period=300000&delay=10000";

    @Override
    public void configure() {
        from(TIMER).routeId(ROUTE_ID)
                .description("Every 5 min: worktrees of protocols finished longer than DEKSDENFLOW_WORKTREE_TTL_HOURS ago removed; workspace size measured")
                .bean(WorktreeSweeper.class, "sweep");
    }
}
