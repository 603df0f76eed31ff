package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.config.WorkspaceCacheSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Where a project's files live: {@code <workspace>/projects/<id>/repo} (the clone),
 * {@code …/worktrees/<protocol_name>} (one per protocol) and {@code …/logs/} (engine run logs,
 * outside git, each run's tail kept in the database at its end). Every path is built from ids and validated
 * names, never from raw input. With DEKSDENFLOW_WORKSPACE_SHARED=false the workspace is this worker's own cache:
 * worktrees are brought to origin's protocol branch before each job ({@link Worktrees}).
 */
@Component
class Workspace {
    private final Path root;
    private final boolean perWorker;
    private final Checkouts checkouts = new Checkouts();
    private final Map<Long, ReentrantLock> repoLocks = new ConcurrentHashMap<>();

    public Workspace(WorkspaceSettings settings, WorkspaceCacheSettings cache) {
        this.root = settings.workspaceDir();
        this.perWorker = cache.perWorker();
    }

    /** Whether this workspace is the worker's own (origin is the checkpoint), not one shared by every process. */
    boolean perWorker() {
        return perWorker;
    }

    Checkouts checkouts() {
        return checkouts;
    }

    /**
     * The lock of a project's clone in this process: cloning it, fetching into it, adding a worktree and pushing
     * (which moves its remote-tracking refs) are one at a time, so that two jobs of the project on this worker
     * neither clone into one directory nor lock the same refs.
     */
    ReentrantLock repoLock(long projectId) {
        return repoLocks.computeIfAbsent(projectId, id -> new ReentrantLock());
    }

    public Path root() {
        return root;
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
