package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.config.WorkspaceCacheSettings;
import io.deksdenflow.orchestrator.git.OriginSync;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.worker.ProtocolLeases;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Cache hygiene of this process's workspace: the worktrees of protocols that finished (completed, failed or
 * cancelled) longer than DEKSDENFLOW_WORKTREE_TTL_HOURS ago are removed ({@code git worktree remove --force},
 * then prune; a later job of the protocol builds its worktree again from the branch), and the workspace's size
 * is measured for the {@code workspace_cache_bytes} gauge. A worktree is removed only under its protocol's lease
 * (a review fix or a base sync may still come for a finished protocol: its job then waits for the sweep, or the
 * sweep skips the worktree until the next pass) and the project clone's lock of this process. Directories are
 * listed and measured without following links: a worktree is the agent's, untrusted.
 */
@Component
class WorktreeSweeper {
    private static final Logger log = LoggerFactory.getLogger(WorktreeSweeper.class);
    private static final Set<ProtocolStatus> FINISHED = Set.of(ProtocolStatus.COMPLETED, ProtocolStatus.FAILED,
            ProtocolStatus.CANCELLED);

    private final Workspace workspace;
    private final ProtocolStore protocols;
    private final JobScope scope;
    private final ProtocolLeases leases;
    private final long ttlMs;
    private volatile long cacheBytes;

    WorktreeSweeper(Workspace workspace, ProtocolStore protocols, JobScope scope, ProtocolLeases leases,
                    WorkspaceCacheSettings settings, MeterRegistry registry) {
        this.workspace = workspace;
        this.protocols = protocols;
        this.scope = scope;
        this.leases = leases;
        this.ttlMs = settings.worktreeTtlHours() * 3_600_000L;
        Gauge.builder("workspace_cache_bytes", this, s -> s.cacheBytes)
                .description("bytes under this process's DEKSDENFLOW_WORKSPACE (clones, worktrees, run logs)")
                .register(registry);
    }

    /**
     * One pass: removes expired worktrees (none when the TTL is 0), runs git's automatic maintenance in each clone
     * (the service's git never starts it after a commit or fetch: off the jobs' path), then measures the workspace;
     * returns how many worktrees it removed.
     */
    public int sweep() {
        int removed = 0;
        for (Path projectDir : dirs(workspace.root().resolve("projects"))) {
            if (!projectDir.getFileName().toString().matches("\\d{1,18}")) continue;
            long projectId = Long.parseLong(projectDir.getFileName().toString());
            if (ttlMs > 0) removed += sweepProject(projectId);
            maintain(projectId);
        }
        cacheBytes = size(workspace.root());
        return removed;
    }

    long cacheBytes() {
        return cacheBytes;
    }

    private int sweepProject(long projectId) {
        List<Path> worktrees = dirs(workspace.projectDir(projectId).resolve("worktrees"));
        if (worktrees.isEmpty()) return 0;
        Map<String, ProtocolRun> runs = protocols.findByNames(List.of(projectId),
                        worktrees.stream().map(p -> p.getFileName().toString()).toList()).stream()
                .collect(Collectors.toMap(ProtocolRun::protocolName, Function.identity(), (a, b) -> a));
        long now = Clock.now();
        int removed = 0;
        for (Path dir : worktrees) {
            ProtocolRun run = runs.get(dir.getFileName().toString());
            if (run == null || !FINISHED.contains(run.status()) || now - run.updatedAt() < ttlMs) continue;
            ReentrantLock lock = workspace.repoLock(projectId);
            try (ProtocolLeases.Lease lease = leases.acquire(run.id(), "worktree-sweeper")) {
                if (!lease.granted()) {
                    log.debug("protocol {}: a job holds its lease; its worktree is swept on a later pass", run.id());
                    continue;
                }
                lock.lock();
                try {
                    Project project = scope.project(projectId);
                    OriginSync.removeWorktree(scope.git(project), workspace.repo(projectId), dir);
                    workspace.checkouts().removed(dir);
                } finally {
                    lock.unlock();
                }
                removed++;
                log.info("removed the worktree of protocol {} ({}, {} h after it finished)", run.id(),
                        run.status().api(), (now - run.updatedAt()) / 3_600_000L);
            } catch (RuntimeException e) {
                log.warn("could not remove the worktree of protocol {}: {}", run.id(), LogText.escape(e.getMessage()));
            }
        }
        return removed;
    }

    private void maintain(long projectId) {
        Path repo = workspace.repo(projectId);
        if (!Files.isDirectory(repo.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) return;
        try {
            scope.git(scope.project(projectId)).maintain(repo);
        } catch (RuntimeException e) {
            log.warn("git maintenance in the clone of project {} failed: {}", projectId, LogText.escape(e.getMessage()));
        }
    }

    /** The directories directly in {@code dir} (not links to one); none when it is missing. */
    private static List<Path> dirs(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Bytes of the regular files under {@code root}, links not followed (a walk never leaves the tree). */
    static long size(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) return 0;
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) total[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // removed while walking, or unreadable: not counted
                }
            });
        } catch (IOException e) {
            // what was counted so far
        }
        return total[0];
    }
}
