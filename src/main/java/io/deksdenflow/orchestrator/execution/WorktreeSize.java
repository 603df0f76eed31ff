package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.UntrustedContentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * {@code DEKSDENFLOW_WORKTREE_MAX_MB}: what an agent may leave in its worktree. Counted after each
 * writing run, links not followed (a link counts as itself, not as its target), the worktree's own
 * {@code .git} file included; the walk stops as soon as the bound is passed.
 */
final class WorktreeSize {
    static final String EVENT = "worktree_too_large";
    private static final long MB = 1024L * 1024L;

    private WorktreeSize() {}

    /** Throws (never retried; event {@value #EVENT}) when the worktree holds more than {@code maxMb}; 0 = no bound. */
    static void check(Path worktree, long maxMb) {
        if (maxMb <= 0) return;
        long max = maxMb * MB;
        long[] total = {0};
        try {
            Files.walkFileTree(worktree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    total[0] += attrs.size();
                    return total[0] > max ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // vanished or unreadable: nothing the service will commit
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (total[0] > max) {
            throw new UntrustedContentException(EVENT, "the agent left more than " + maxMb
                    + " MB in the worktree (DEKSDENFLOW_WORKTREE_MAX_MB); nothing was committed");
        }
    }
}
