package io.deksdenflow.orchestrator.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether every process sees one workspace (DEKSDENFLOW_WORKSPACE_SHARED, default true: one volume, today's
 * behaviour) or each worker keeps its own cache of clones and worktrees, rebuilt from origin's protocol branch
 * (false: the branch on origin is the checkpoint, pushes go with a lease on the head the job started from; the
 * Redis lease per protocol is on either way); and how long a finished protocol's worktree stays on disk (DEKSDENFLOW_WORKTREE_TTL_HOURS,
 * 0 = kept).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record WorkspaceCacheSettings(
        @DefaultValue("true") boolean workspaceShared,
        @DefaultValue("168") int worktreeTtlHours) {

    public WorkspaceCacheSettings {
        SettingsChecks.atLeast("DEKSDENFLOW_WORKTREE_TTL_HOURS", worktreeTtlHours, 0);
    }

    public static WorkspaceCacheSettings defaults() { return SettingsBinding.defaults(WorkspaceCacheSettings.class); }

    /** A worker with its own disk: the sync from origin before each job and the leased push are on. */
    public boolean perWorker() { return !workspaceShared; }
}
