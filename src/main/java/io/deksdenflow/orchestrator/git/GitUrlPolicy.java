package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.secrets.SecretsKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where a project's repository may be, beyond {@link GitUrls}' syntax: with DEKSDENFLOW_GIT_LOCAL=false
 * no local path or {@code file://} URL at all; otherwise none whose real path (symlinks resolved) lies
 * inside the service's own files: the workspace, the SQLite database's directory, the secrets key file.
 * Checked when a project is registered and again before every git use (a setting may have changed).
 */
@Component
public class GitUrlPolicy {
    private final boolean allowLocal;
    private final List<Path> protectedRoots;

    @Autowired
    public GitUrlPolicy(Settings settings, SecretsKey secretsKey) {
        this(settings.isGitLocal(), roots(settings, secretsKey));
    }

    public GitUrlPolicy(boolean allowLocal, List<Path> protectedRoots) {
        this.allowLocal = allowLocal;
        this.protectedRoots = List.copyOf(protectedRoots);
    }

    /** Syntax only, any local path: for git clients made outside the service (tests, tools). */
    public static GitUrlPolicy unrestricted() {
        return new GitUrlPolicy(true, List.of());
    }

    private static List<Path> roots(Settings settings, SecretsKey secretsKey) {
        List<Path> roots = new ArrayList<>();
        roots.add(settings.workspaceDir());
        settings.sqliteFile().map(Path::getParent).ifPresent(roots::add);
        secretsKey.keyFile().ifPresent(roots::add);
        return roots;
    }

    /** The validated URL, or a 422 naming {@code git_url}. */
    public String validate(String url) {
        String u = GitUrls.validate(url);
        List<Path> local = GitUrls.localPaths(u);
        if (local.isEmpty()) return u;
        if (!allowLocal) {
            throw new ValidationException("git_url",
                    "local paths and file:// URLs are disabled on this server (DEKSDENFLOW_GIT_LOCAL=false)");
        }
        for (Path candidate : local) {
            if (candidate.toString().contains("..") && hasDotDot(candidate)) {
                throw new ValidationException("git_url", "git_url must not contain '..' path segments");
            }
            Path real = realPath(candidate);
            for (Path root : protectedRoots) {
                if (real.startsWith(realPath(root))) {
                    throw new ValidationException("git_url",
                            "git_url must not point into the service's own workspace, database or key directory");
                }
            }
        }
        return u;
    }

    private static boolean hasDotDot(Path p) {
        for (Path part : p) if (part.toString().equals("..")) return true;
        return false;
    }

    /** The real path of {@code p}: symlinks of its longest existing prefix resolved, the rest appended. */
    static Path realPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return abs;
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
