package io.deksdenflow.orchestrator.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the service keeps its files: DEKSDENFLOW_WORKSPACE (clones, worktrees, run logs) and
 * DEKSDENFLOW_ENGINE_STATE_DIR (the engines' per-run state, default {@code <workspace>/engine-state}).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record WorkspaceSettings(
        @DefaultValue(".deksdenflow/workspace") String workspace,
        @DefaultValue("") String engineStateDir) {

    public WorkspaceSettings {
        if (workspace == null || workspace.isBlank()) {
            throw new IllegalArgumentException("DEKSDENFLOW_WORKSPACE must name a directory, not be empty");
        }
        engineStateDir = engineStateDir == null ? "" : engineStateDir;
    }

    public static WorkspaceSettings defaults() { return SettingsBinding.defaults(WorkspaceSettings.class); }

    public static WorkspaceSettings of(Path workspace) { return new WorkspaceSettings(workspace.toString(), ""); }

    public WorkspaceSettings withEngineStateDir(String v) { return new WorkspaceSettings(workspace, v); }

    /** DEKSDENFLOW_WORKSPACE as an absolute, normalized path. */
    public Path workspaceDir() { return Path.of(workspace).toAbsolutePath().normalize(); }

    /** DEKSDENFLOW_ENGINE_STATE_DIR, default {@code <workspace>/engine-state}: the engines' per-project state. */
    public Path engineStateRoot() {
        return engineStateDir.isBlank() ? workspaceDir().resolve("engine-state")
                : Path.of(engineStateDir).toAbsolutePath().normalize();
    }
}
