package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.engine.SandboxSettings;
import io.deksdenflow.orchestrator.http.ApiSettings;
import io.deksdenflow.orchestrator.secrets.SecretsKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where a project's repository may be, beyond {@link GitUrls}' syntax: local paths and {@code file://}
 * URLs only when allowed (DEKSDENFLOW_GIT_LOCAL; by default only on a service without an API token);
 * and never one an agent could have written: neither the path's real location (symlinks resolved) nor
 * where git would really read it (a {@code .git} gitfile's {@code gitdir:}, a {@code commondir}) may lie
 * inside the service's own files (the workspace, the SQLite database's directory, the secrets key file),
 * the engines' state directory, or a DEKSDENFLOW_AGENT_SANDBOX_WRITABLE directory. Checked when a
 * project is registered and again before every git use (a setting or the path may have changed).
 */
@Component
public class GitUrlPolicy {
    private final boolean allowLocal;
    private final List<Path> protectedRoots;

    @Autowired
    public GitUrlPolicy(GitSettings git, ApiSettings api, WorkspaceSettings files, DatabaseSettings database,
                        SandboxSettings sandbox, SecretsKey secretsKey) {
        this(git.gitLocalAllowed(api.apiTokenSet()), roots(files, database, sandbox, secretsKey));
    }

    public GitUrlPolicy(boolean allowLocal, List<Path> protectedRoots) {
        this.allowLocal = allowLocal;
        this.protectedRoots = List.copyOf(protectedRoots);
    }

    /** Syntax only, any local path: for git clients made outside the service (tests, tools). */
    public static GitUrlPolicy unrestricted() {
        return new GitUrlPolicy(true, List.of());
    }

    private static List<Path> roots(WorkspaceSettings files, DatabaseSettings database, SandboxSettings sandbox,
                                    SecretsKey secretsKey) {
        List<Path> roots = new ArrayList<>();
        roots.add(files.workspaceDir());
        database.sqliteFile().map(Path::getParent).ifPresent(roots::add);
        secretsKey.keyFile().ifPresent(roots::add);
        roots.add(files.engineStateRoot());
        roots.addAll(sandbox.agentSandboxWritableDirs());
        return roots;
    }

    /** The validated URL, or a 422 naming {@code git_url}. */
    public String validate(String url) {
        String u = GitUrls.validate(url);
        List<Path> local = GitUrls.localPaths(u);
        if (local.isEmpty()) return u;
        if (!allowLocal) {
            throw new ValidationException("git_url", "local paths and file:// URLs are disabled on this server "
                    + "(DEKSDENFLOW_GIT_LOCAL=false, the default when DEKSDENFLOW_API_TOKEN is set)");
        }
        for (Path candidate : local) {
            if (candidate.toString().contains("..") && hasDotDot(candidate)) {
                throw new ValidationException("git_url", "git_url must not contain '..' path segments");
            }
            for (Path real : GitUrls.repositoryDirs(candidate)) {
                for (Path root : protectedRoots) {
                    if (real.startsWith(realPath(root))) {
                        throw new ValidationException("git_url", "git_url must not point (itself, or through a .git "
                                + "file or commondir) into the service's own workspace, database or key directory, the "
                                + "engines' state or a directory agents can write");
                    }
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
        return GitUrls.realPath(p);
    }
}
