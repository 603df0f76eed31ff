package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.UntrustedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the service reads of a checkout's git directory as files, where asking git would cost a process: the
 * commit a branch's loose ref names (right after git wrote it) and whether the config names an identity. Each
 * answers empty or false when unsure, and the caller asks git instead; nothing here is ever followed as a link.
 */
final class GitFiles {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final String HEADS = "ref: refs/heads/";

    private GitFiles() {}

    /**
     * The commit HEAD of {@code gitDir} names: HEAD itself when detached, else its branch's loose ref in the
     * common directory (git writes a loose ref on every commit; a packed-only ref answers empty).
     */
    static Optional<String> head(Path gitDir) {
        String head = text(gitDir.resolve("HEAD"));
        if (head == null) return Optional.empty();
        if (SHA.matcher(head).matches()) return Optional.of(head);
        if (!head.startsWith(HEADS)) return Optional.empty();
        String branch = head.substring(HEADS.length());
        try {
            GitClient.requireBranch(branch);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        String sha = text(commonDir(gitDir).resolve("refs").resolve("heads").resolve(branch));
        return sha != null && SHA.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
    }

    /** Whether the repository's own config (common, then worktree) sets a non-empty user.name and user.email. */
    static boolean hasIdentity(Path gitDir) {
        boolean[] found = new boolean[2];
        for (Path config : new Path[] {commonDir(gitDir).resolve("config"), gitDir.resolve("config.worktree")}) {
            String text = text(config, UntrustedFiles.DEFAULT_MAX_BYTES);
            if (text == null) continue;
            String section = "";
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.startsWith("[")) {
                    int close = line.indexOf(']');
                    section = close < 0 ? "" : line.substring(1, close).strip().toLowerCase(Locale.ROOT);
                    continue;
                }
                int eq = line.indexOf('=');
                if (!section.equals("user") || eq < 0 || line.substring(eq + 1).isBlank()) continue;
                String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                if (key.equals("name")) found[0] = true;
                if (key.equals("email")) found[1] = true;
            }
        }
        return found[0] && found[1];
    }

    /** A worktree's git directory ({@code <clone>/.git/worktrees/<name>}, with a {@code commondir} file) or the clone's own. */
    private static Path commonDir(Path gitDir) {
        return Files.isRegularFile(gitDir.resolve("commondir"), LinkOption.NOFOLLOW_LINKS)
                ? gitDir.getParent().getParent() : gitDir;
    }

    private static String text(Path file) {
        return text(file, 4096);
    }

    private static String text(Path file, long max) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return null;
            UntrustedFiles.Content c = UntrustedFiles.read(file, max, "a git file");
            return c.truncated() ? null : c.text().strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
