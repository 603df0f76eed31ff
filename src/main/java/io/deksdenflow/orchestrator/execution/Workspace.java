package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * Where a project's files live: {@code <workspace>/projects/<id>/repo} (the clone),
 * {@code …/worktrees/<protocol_name>} (one per protocol) and {@code …/logs/} (engine run logs,
 * outside git). Every path is built from ids and validated names, never from raw input.
 */
@Component
class Workspace {
    private final Path root;

    public Workspace(WorkspaceSettings settings) {
        this.root = settings.workspaceDir();
    }

    public Path projectDir(long projectId) {
        return root.resolve("projects").resolve(Long.toString(projectId));
    }

    public Path repo(long projectId) {
        return projectDir(projectId).resolve("repo");
    }

    public Path worktree(long projectId, String protocolName) {
        return projectDir(projectId).resolve("worktrees").resolve(protocolName);
    }

    public Path logFile(long projectId, String protocolName, String fileName) {
        return projectDir(projectId).resolve("logs").resolve(protocolName).resolve(fileName);
    }
}
