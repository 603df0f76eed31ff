package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.LogText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nested repositories in a worktree are agent-written: their {@code .git} (a directory with its own
 * config, a gitfile pointing anywhere, or a link) would make the service's git recurse into them and
 * run the filters, textconv and drivers their config names, outside the sandbox. Before the service
 * runs git over a worktree every {@code .git} below its root is removed (the files stay and are
 * committed as plain files), and after {@code add} no gitlink the branch did not already have is
 * left in the index.
 */
final class NestedRepos {
    private static final Logger log = LoggerFactory.getLogger(NestedRepos.class);
    private static final String GITLINK = "160000";

    private NestedRepos() {}

    /** Removes every {@code .git} entry (directory, file or link) below {@code worktree} except its own; returns them. */
    static List<Path> strip(Path worktree) {
        Path root = worktree.toAbsolutePath().normalize();
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!isDotGit(dir)) return FileVisitResult.CONTINUE;
                    if (!dir.getParent().equals(root)) found.add(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (isDotGit(file) && !file.getParent().equals(root)) found.add(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // vanished or unreadable: git will say so
                }
            });
            for (Path p : found) deleteTree(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!found.isEmpty()) {
            log.warn("removed {} nested .git entr{} from worktree {} (first: {}): the service never runs git in an agent's repository",
                    found.size(), found.size() == 1 ? "y" : "ies", LogText.escape(root.getFileName()),
                    LogText.escape(root.relativize(found.get(0))));
        }
        return found;
    }

    /** What {@link #stageAll} left staged: whether anything differs from HEAD, and the gitlinks it left out. */
    record Staged(boolean any, List<String> dropped) {}

    /**
     * Stages the whole worktree the safe way, for a commit: identity set, nested repositories taken apart,
     * {@code add -A}, then no gitlink HEAD does not have (a step's commit and a resolved merge's alike). The
     * {@code diff-index} that finds the gitlinks also tells whether anything else is staged.
     */
    static Staged stageAll(GitClient git, Path worktree) {
        git.configureIdentity(worktree);
        strip(worktree);
        git.ok(worktree, List.of("add", "-A"));
        List<String> dropped = new ArrayList<>();
        int changes = dropNewGitlinks(args -> git.ok(worktree, args), dropped);
        return new Staged(changes > 0, dropped);
    }

    /**
     * Takes out of the index every gitlink that HEAD does not have as it is: a new one is removed, a
     * changed one put back to HEAD's commit. {@code git} runs a git command in the worktree and returns stdout.
     */
    static List<String> dropNewGitlinks(Function<List<String>, String> git) {
        List<String> dropped = new ArrayList<>();
        dropNewGitlinks(git, dropped);
        return dropped;
    }

    /** The same, adding the paths left out to {@code dropped}; returns how many other staged changes there are. */
    private static int dropNewGitlinks(Function<List<String>, String> git, List<String> dropped) {
        // plumbing: not affected by diff.ignoreSubmodules, and --cached never looks into a submodule's worktree
        String raw = git.apply(List.of("diff-index", "--cached", "--raw", "-z", "--no-abbrev", "HEAD"));
        String[] parts = raw.split("\0");
        int others = 0;
        for (int i = 0; i + 1 < parts.length; i += 2) {
            String[] meta = parts[i].replace(":", "").split(" ");
            String path = parts[i + 1];
            if (meta.length < 5 || !meta[1].equals(GITLINK)) {
                others++;
                continue;
            }
            if (meta[0].equals(GITLINK)) {
                git.apply(List.of("update-index", "--cacheinfo", GITLINK + "," + meta[2] + "," + path));
            } else {
                git.apply(List.of("update-index", "--force-remove", "--", path));
            }
            dropped.add(path);
        }
        if (!dropped.isEmpty()) log.warn("left {} gitlink(s) out of the commit: {}", dropped.size(), LogText.escape(dropped));
        return others;
    }

    private static boolean isDotGit(Path p) {
        return p.getFileName() != null && p.getFileName().toString().equals(".git");
    }

    /** Deletes {@code p} and, for a real directory, its content; never follows a link. */
    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(p)) {
                for (Path c : children.toList()) deleteTree(c);
            }
        }
        Files.deleteIfExists(p);
    }
}
