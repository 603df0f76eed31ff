package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.git.OriginSync;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The protocol's worktree, recreated from its branch when this worker's disk does not have it. A worker with
 * its own disk (DEKSDENFLOW_WORKSPACE_SHARED=false) also brings it to origin's head of the branch before every
 * job — another worker may have pushed since (or this one left work it never pushed) — and remembers that head
 * as the lease of the job's push ({@link JobScope#push}).
 */
final class Worktrees {
    private Worktrees() {}

    static Path ensure(GitClient git, Workspace workspace, Project project, ProtocolRun run) {
        long started = System.nanoTime();
        Path target = workspace.worktree(project.id(), run.protocolName());
        boolean cold = !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
        // taken by every job, whatever happens next: a job that fails midway leaves nothing to trust
        String settled = workspace.checkouts().takeSettled(target);
        Path worktree;
        String originHead = null;
        ReentrantLock lock = workspace.repoLock(project.id());
        lock.lock();
        try {
            Path repo = workspace.repo(project.id());
            // a worker with its own disk fetches what the job needs below (the branch, or the base for a new one)
            if (!workspace.perWorker() || !Files.isDirectory(repo.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
                repo = ProjectSetupHandler.ensureClone(git, project, repo);
            }
            if (workspace.perWorker() && cold) {
                // built straight at origin's head (or the base for a new branch): nothing to bring it to afterwards
                originHead = OriginSync.newWorktree(git, repo, target, run.protocolName(), run.baseBranch()).orElse(null);
                worktree = target;
            } else {
                worktree = git.addWorktree(repo, target, run.protocolName(), run.baseBranch());
            }
            if (workspace.perWorker() && !cold) {
                Optional<String> head = OriginSync.toOrigin(git, worktree, run.protocolName(), run.baseBranch(), settled);
                originHead = head.orElse(null);
            }
        } finally {
            lock.unlock();
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        workspace.checkouts().prepared(worktree, new Checkouts.Checkout(originHead, cold, ms, originHead));
        return worktree;
    }
}
