package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.UntrustedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a repository whose own config (the clone's {@code config}, a worktree's
 * {@code config.worktree}) names a program or redirects git: filters, fsmonitor, hooks path, ssh
 * command, pagers and editors, credential helpers, includes, URL rewrites, proxies. The service never
 * writes such settings, so finding one means an agent or a hostile repository did. The file is read
 * as text; git is not asked (asking would already run what it names).
 */
final class GitConfigGuard {
    private static final Set<String> SECTIONS = Set.of("filter", "include", "includeif", "credential", "gpg", "url",
            "pager", "sequence", "uploadpack", "receivepack", "trailer", "bundle", "submodule");
    private static final Set<String> CORE_KEYS = Set.of("fsmonitor", "hookspath", "sshcommand", "pager", "editor",
            "askpass", "gitproxy", "worktree", "alternaterefscommand");
    private static final Set<String> REMOTE_KEYS = Set.of("uploadpack", "receivepack", "proxy", "pushurl", "vcs");

    private GitConfigGuard() {}

    /** Checks {@code gitDir}'s own config files and, for a worktree, the clone's common config. */
    static void check(Path gitDir) {
        checkFile(gitDir.resolve("config"));
        checkFile(gitDir.resolve("config.worktree"));
        Path parent = gitDir.getParent();
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("worktrees")) {
            checkFile(parent.getParent().resolve("config"));
            checkFile(parent.getParent().resolve("config.worktree"));
        }
    }

    static void checkFile(Path file) {
        if (Files.isSymbolicLink(file)) refuse(file, "is a symbolic link");
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return;
        String text;
        try {
            text = UntrustedFiles.readWhole(file, UntrustedFiles.DEFAULT_MAX_BYTES, "the git config");
        } catch (IOException e) {
            refuse(file, "cannot be read: " + e.getMessage());
            return;
        }
        String section = "";
        String subsection = null;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            while (line.startsWith("[")) {
                int close = line.indexOf(']');
                if (close < 0) refuse(file, "has a malformed section header");
                String header = line.substring(1, close).strip();
                line = line.substring(close + 1).strip();
                int quote = header.indexOf('"');
                if (quote >= 0) {
                    section = header.substring(0, quote).strip().toLowerCase(Locale.ROOT);
                    subsection = header.substring(quote);
                } else {
                    int dot = header.indexOf('.');
                    section = (dot < 0 ? header : header.substring(0, dot)).toLowerCase(Locale.ROOT);
                    subsection = dot < 0 ? null : header.substring(dot + 1);
                }
                if (SECTIONS.contains(section)) refuse(file, "has a [" + section + "] section");
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            int end = 0;
            while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '-')) end++;
            String key = line.substring(0, end).toLowerCase(Locale.ROOT);
            boolean bad = switch (section) {
                case "core" -> CORE_KEYS.contains(key);
                case "remote" -> REMOTE_KEYS.contains(key);
                case "diff" -> subsection == null ? key.equals("external") : key.equals("textconv") || key.equals("command");
                case "merge" -> subsection != null && key.equals("driver");
                case "http" -> key.equals("proxy") || key.equals("cookiefile");
                default -> false;
            };
            if (bad) refuse(file, "sets " + section + "." + key);
        }
    }

    private static void refuse(Path file, String why) {
        throw new UntrustedContentException(UntrustedContentException.WORKTREE_TAMPERED,
                "git config " + file + " " + why + ": the service will not run git on it");
    }
}
