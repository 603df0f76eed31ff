package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.UntrustedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The two links between a clone and one of its worktrees, read as files (git is not asked): the worktree's
 * {@code .git} file ({@code gitdir: <clone>/.git/worktrees/<name>}) and the record's {@code gitdir} file pointing
 * back at {@code <worktree>/.git}. Both must be regular files saying exactly that before the service runs git there.
 */
final class WorktreeLinks {
    private WorktreeLinks() {}

    /** The clone's record of {@code worktree} (its git directory), named after the worktree's directory. */
    static Path adminDir(Path repo, Path worktree) {
        try {
            return repo.toRealPath().resolve(".git").resolve("worktrees").resolve(worktree.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether both links are there and agree (a worktree git made at {@code worktree} for {@code repo}). */
    static boolean linked(Path repo, Path worktree) {
        if (!Files.isDirectory(worktree, LinkOption.NOFOLLOW_LINKS)) return false;
        try {
            Path gitDir = adminDir(repo, worktree);
            return pointsBack(gitDir, worktree.toRealPath()) && gitDir.toString().equals(dotGitTarget(worktree));
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Whether the record {@code gitDir} points back at {@code <realWorktree>/.git}. */
    static boolean pointsBack(Path gitDir, Path realWorktree) {
        Path back = gitDir.resolve("gitdir");
        try {
            if (!Files.isRegularFile(back, LinkOption.NOFOLLOW_LINKS)) return false;
            String points = UntrustedFiles.read(back, 4096, "gitdir").text().strip();
            return realWorktree.resolve(".git").toString().equals(points);
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code <worktree>/.git} must still be the regular file git wrote, pointing at {@code gitDir}. */
    static void verify(Path worktree, Path gitDir) {
        if (!gitDir.toString().equals(dotGitTarget(worktree))) {
            throw new UntrustedContentException(UntrustedContentException.WORKTREE_TAMPERED,
                    "the worktree's .git was replaced (expected a file pointing at the service's git directory): " + worktree);
        }
    }

    /** What the worktree's {@code .git} file points at; null when it is not a regular file saying {@code gitdir: …}. */
    private static String dotGitTarget(Path worktree) {
        Path dotGit = worktree.resolve(".git");
        if (!Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) return null;
        try {
            String content = UntrustedFiles.read(dotGit, 4096, "the worktree's .git file").text().strip();
            return content.startsWith("gitdir: ") ? content.substring(8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    static boolean isEmptyDir(Path p) {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
