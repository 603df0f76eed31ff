package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.engine.ProcessResult;
import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.engine.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Git for one project, run as a process (no shell) with prompts disabled. A token from the
 * project's secrets (its forge's token, else {@code GIT_TOKEN}: a {@link GitCredential.Source}) reaches git
 * as an {@code http.<origin>.extraHeader} through {@code GIT_CONFIG_*} environment variables, so
 * it is never in argv, in .git/config or in a log; every error message is redacted.
 * Create instances with {@link GitClients#forProject}.
 */
public class GitClient {
    public static final String COMMITTER_NAME = "DeksdenFlow";
    public static final String COMMITTER_EMAIL = "orchestrator@deksdenflow.local";
    private static final Pattern BRANCH = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$");

    private final ProcessRunner runner;
    private final Map<String, String> env;
    private final Redactor redactor;
    private final Duration timeout;
    private final Map<Path, Path> worktrees = new java.util.concurrent.ConcurrentHashMap<>();
    /** Per checkout of this client (one job): whether origin is a local path (git runs its other side here). */
    private final Map<Path, Boolean> localOrigins = new java.util.concurrent.ConcurrentHashMap<>();
    /** The project's own remote is a local path or file:// URL: its checkouts' origin is, without asking git. */
    private final boolean projectOriginLocal;
    private final AtomicInteger processes = new AtomicInteger();
    private final AtomicLong processNanos = new AtomicLong();
    /**
     * Before every command: no hooks, no fsmonitor, no ext:: transport, no submodule recursion or summary, and no
     * automatic maintenance after a commit or fetch (one process less on a job's path; {@link #maintain} runs it).
     */
    static final List<String> HARDENING = List.of("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
            "-c", "maintenance.auto=false",
            "-c", "protocol.ext.allow=never", "-c", "submodule.recurse=false", "-c", "fetch.recurseSubmodules=false",
            "-c", "diff.ignoreSubmodules=all", "-c", "status.submoduleSummary=false");
    private static final String NO_SUBMODULES = "--ignore-submodules=all"; // never into an agent's nested repository
    /** A local remote's side runs here with its own hooks; {@code -c} does not reach it (git clears that env). */
    static final String UPLOAD_PACK = "--upload-pack=git -c core.hooksPath=/dev/null upload-pack";
    static final String RECEIVE_PACK = "--receive-pack=git -c core.hooksPath=/dev/null receive-pack";

    GitClient(ProcessRunner runner, String remoteUrl, Map<String, String> secrets, GitCredential.Source credentials,
                     Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
        this.projectOriginLocal = remoteUrl != null && GitUrls.isLocal(remoteUrl);
        GitEnvironment environment = GitEnvironment.of(remoteUrl, secrets, credentials);
        this.env = environment.env();
        this.redactor = environment.redactor();
    }

    /** Environment additions git runs with (tests check that no secret is in argv). */
    Map<String, String> environment() { return Map.copyOf(env); }

    public String redact(String text) { return redactor.redact(text); }

    /** The git processes this client ran and their wall time (a job's client: its git cost, for the job's event). */
    public record Usage(int processes, long millis) {}

    public Usage usage() {
        return new Usage(processes.get(), processNanos.get() / 1_000_000);
    }

    // ---------------------------------------------------------------- repository

    /**
     * Clones {@code url} into {@code dir} (a local path is cloned too, never used in place). An
     * existing clone in {@code dir} is fetched instead, so a retried setup is harmless.
     */
    public Path clone(String url, Path dir) {
        String u = GitUrls.validate(url);
        Path target = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(target.resolve(".git"))) {
            fetch(target, null);
            configureIdentity(target);
            return target;
        }
        if (Files.exists(target) && !WorktreeLinks.isEmptyDir(target)) {
            throw new GitException("clone target exists and is not a git repository: " + target, -1);
        }
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> args = new ArrayList<>(List.of("clone", "--quiet", "--template=", "--no-recurse-submodules"));
        if (GitUrls.isLocalPath(u)) args.add("--no-hardlinks");
        if (!GitUrls.localPaths(u).isEmpty()) args.add(UPLOAD_PACK);
        args.addAll(List.of("--", u, target.toString()));
        ProcessResult r = gitOutside(target.getParent(), args);
        if (r.exitCode() != 0 || r.timedOut()) throw failure("clone", r);
        configureIdentity(target);
        return target;
    }

    /** {@code git fetch --prune origin}, or only {@code branch} when given. */
    public void fetch(Path repo, String branch) {
        List<String> args = new ArrayList<>(List.of("fetch", "--quiet"));
        if (localOrigin(repo)) args.add(UPLOAD_PACK);
        if (branch != null) requireBranch(branch);
        args.addAll(branch == null ? List.of("--prune", "origin")
                : List.of("origin", "+refs/heads/" + branch + ":refs/remotes/origin/" + branch));
        ok(repo, args);
    }

    /**
     * Whether {@code origin} of the checkout is a local path or file:// URL (git runs its other side here): always
     * for a project whose remote is one (its checkouts are cloned from it), else git's answer, asked once per
     * checkout and job (an agent cannot change the config: the sandbox shows git metadata read-only).
     */
    boolean localOrigin(Path repo) {
        if (projectOriginLocal) return true;
        return localOrigins.computeIfAbsent(repo.toAbsolutePath().normalize(), d -> {
            ProcessResult r = git(d, List.of("config", "--get", "remote.origin.url"), null);
            return r.exitCode() == 0 && GitUrls.isLocal(r.stdout().strip());
        });
    }

    /**
     * A worktree for {@code branch} at {@code path}: reused when already there; else the local branch,
     * else origin's branch (tracked), else a new branch from {@code startPoint} (origin's copy preferred).
     */
    public Path addWorktree(Path repo, Path path, String branch, String startPoint) {
        requireBranch(branch);
        Path target = path.toAbsolutePath().normalize();
        // both links as git wrote them (read as files, no process); else git's own list decides
        if (WorktreeLinks.linked(repo, target) || isWorktree(repo, target)) {
            register(repo, target);
            return target;
        }
        ok(repo, List.of("worktree", "prune"));
        if (Files.exists(target) && !WorktreeLinks.isEmptyDir(target)) {
            throw new GitException("worktree path exists and is not a worktree of " + repo.getFileName() + ": " + target, -1);
        }
        fetch(repo, null);
        if (refExists(repo, "refs/heads/" + branch)) {
            ok(repo, List.of("worktree", "add", "--quiet", target.toString(), branch));
        } else if (refExists(repo, "refs/remotes/origin/" + branch)) {
            ok(repo, List.of("worktree", "add", "--quiet", "--track", "-b", branch, target.toString(), "origin/" + branch));
        } else {
            ok(repo, List.of("worktree", "add", "--quiet", "--no-track", "-b", branch, target.toString(), resolveBase(repo, startPoint)));
        }
        register(repo, target);
        configureIdentity(target);
        return target;
    }

    // ---------------------------------------------------------------- commits

    /**
     * Stages everything and commits; a clean tree is normal and gives empty. Nested repositories are
     * taken apart first and no gitlink HEAD does not have is committed ({@link NestedRepos}).
     */
    public Optional<String> commitAll(Path worktree, String message) {
        return commit(worktree, message).sha();
    }

    /**
     * What {@link #commit} did: the new commit (empty: nothing was staged) and whether the worktree is now exactly
     * HEAD (no gitlink had to be left out of the index).
     */
    public record Committed(Optional<String> sha, boolean exact) {}

    /**
     * {@link #commitAll}, telling whether the worktree is left exactly at the commit. Three processes in the usual
     * case ({@code add -A}, {@code diff-index}, {@code commit}): what is staged is read from the
     * {@code diff-index} that looks for gitlinks, and the new commit from the branch's ref file git just wrote.
     */
    public Committed commit(Path worktree, String message) {
        NestedRepos.Staged staged = NestedRepos.stageAll(this, worktree);
        if (!staged.any()) return new Committed(Optional.empty(), staged.dropped().isEmpty());
        okStdin(worktree, List.of("commit", "--quiet", "--no-verify", "-F", "-"), message);
        Path gitDir = worktrees.get(worktree.toAbsolutePath().normalize());
        Optional<String> sha = gitDir == null ? Optional.empty() : GitFiles.head(gitDir);
        return new Committed(Optional.of(sha.orElseGet(() -> headSha(worktree))), staged.dropped().isEmpty());
    }

    /** Pushes HEAD to {@code origin/branch} and sets upstream; "up to date" is normal. */
    public void push(Path worktree, String branch) {
        requireBranch(branch);
        List<String> args = new ArrayList<>(List.of("push", "--quiet", "-u"));
        if (localOrigin(worktree)) args.add(RECEIVE_PACK);
        args.addAll(List.of("origin", "HEAD:refs/heads/" + branch));
        ok(worktree, args);
    }

    /** The newest commit after {@code since} on {@code ref} whose message contains {@code text}, if any. */
    public Optional<String> findCommitSince(Path worktree, String since, String ref, String text) {
        ProcessResult r = git(worktree, List.of("log", "--format=%H", "--fixed-strings", "--grep=" + text,
                since + ".." + ref), null);
        if (r.exitCode() != 0) return Optional.empty(); // an unknown ref: nothing there
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst();
    }

    /** Puts the worktree exactly at {@code sha}: tracked changes reset, untracked files removed. */
    public void resetHard(Path worktree, String sha) {
        NestedRepos.strip(worktree);
        ok(worktree, List.of("reset", "--quiet", "--hard", sha));
        ok(worktree, List.of("clean", "--quiet", "-fd"));
    }

    public String headSha(Path worktree) {
        return ok(worktree, List.of("rev-parse", "HEAD")).strip();
    }

    public String statusPorcelain(Path worktree) {
        NestedRepos.strip(worktree);
        return ok(worktree, List.of("status", "--porcelain", NO_SUBMODULES));
    }

    public Commit lastCommit(Path worktree) {
        String[] lines = ok(worktree, List.of("log", "-1", "--format=%H%n%s")).split("\n", 2);
        return new Commit(lines[0].strip(), lines.length > 1 ? lines[1].strip() : "");
    }

    /** {@code git diff --stat <base>...HEAD}, base being origin's branch when it exists. */
    public String diffStat(Path worktree, String baseBranch) {
        NestedRepos.strip(worktree);
        requireBranch(baseBranch);
        // origin's branch by its full name first: one process in the usual case, resolveBase's two lookups only without it
        ProcessResult r = git(worktree, List.of("diff", "--stat", "--no-ext-diff", "--no-textconv", NO_SUBMODULES,
                "refs/remotes/origin/" + baseBranch + "...HEAD"), null);
        if (r.exitCode() == 0 && !r.timedOut()) return r.stdout();
        return ok(worktree, List.of("diff", "--stat", "--no-ext-diff", "--no-textconv", NO_SUBMODULES, resolveBase(worktree, baseBranch) + "...HEAD"));
    }


    /**
     * {@code git diff <from>..HEAD} (no colour, no external diff tools); {@code from} is a commit sha, or
     * null for the base branch's merge base ({@code <base>...HEAD}).
     */
    public String diffSince(Path worktree, String from, String baseBranch) {
        if (from != null && !from.matches("[0-9a-fA-F]{7,64}")) throw new IllegalArgumentException("not a commit sha: " + from);
        String range = from != null ? from + "..HEAD" : resolveBase(worktree, baseBranch) + "...HEAD";
        NestedRepos.strip(worktree);
        return ok(worktree, List.of("diff", "--no-color", "--no-ext-diff", "--no-textconv", NO_SUBMODULES, range));
    }

    /** Sets user.name/user.email in the repository config when git has none at any level. */
    public void configureIdentity(Path repo) {
        // no process when the repository's own config has both (the service wrote them, or the operator): this
        // runs before every commit; else one git process for every level, not one per key
        if (GitFiles.hasIdentity(checkout(repo.toAbsolutePath().normalize()))) return;
        ProcessResult r = git(repo, List.of("config", "--get-regexp", "^user\\.(name|email)$"), null);
        boolean name = false;
        boolean email = false;
        for (String line : r.exitCode() == 0 ? r.stdout().split("\n") : new String[0]) {
            String key = line.split(" ", 2)[0].strip();
            if (key.equals("user.name")) name = true;
            if (key.equals("user.email")) email = true;
        }
        if (!name) ok(repo, List.of("config", "user.name", COMMITTER_NAME));
        if (!email) ok(repo, List.of("config", "user.email", COMMITTER_EMAIL));
    }

    public record Commit(String sha, String subject) {}

    /** {@code git gc --auto} in a clone (what a commit or fetch would have started): packs and prunes when due. */
    public void maintain(Path repo) {
        ok(repo, List.of("-c", "gc.autoDetach=false", "gc", "--auto", "--quiet")); // in the foreground: off the jobs anyway
    }

    // ---------------------------------------------------------------- helpers

    String resolveBase(Path repo, String base) {
        requireBranch(base);
        if (refExists(repo, "refs/remotes/origin/" + base)) return "origin/" + base;
        if (refExists(repo, "refs/heads/" + base)) return base;
        throw new ValidationException("base_branch", "branch '" + base + "' exists neither on origin nor locally");
    }

    boolean refExists(Path repo, String ref) {
        return git(repo, List.of("rev-parse", "--verify", "--quiet", ref + "^{commit}"), null).exitCode() == 0;
    }

    private boolean isWorktree(Path repo, Path target) {
        if (!Files.isDirectory(target)) return false;
        Path real;
        try {
            real = target.toRealPath();
        } catch (IOException e) {
            return false;
        }
        for (String line : ok(repo, List.of("worktree", "list", "--porcelain")).split("\n")) {
            if (line.startsWith("worktree ") && Path.of(line.substring(9)).equals(real)) return true;
        }
        return false;
    }

    static void requireBranch(String branch) {
        if (branch == null || !BRANCH.matcher(branch).matches() || branch.contains("..")
                || branch.contains("//") || branch.endsWith("/") || branch.endsWith(".lock")) {
            throw new ValidationException("branch", "invalid branch name: " + branch);
        }
    }

    String ok(Path dir, List<String> args) {
        return okStdin(dir, args, null);
    }

    String okStdin(Path dir, List<String> args, String stdin) {
        ProcessResult r = git(dir, args, stdin);
        if (r.exitCode() != 0 || r.timedOut()) throw failure(args.contains("clone") ? "clone" : args.get(0), r);
        return r.stdout();
    }

    /**
     * Runs git in a checkout the service made: {@code --git-dir}/{@code --work-tree} pinned (no
     * discovery from the worktree), hooks and fsmonitor off, after checking that nothing replaced
     * the worktree's {@code .git} file or put a command into the repository's config.
     */
    ProcessResult git(Path dir, List<String> args, String stdin) {
        Path d = dir.toAbsolutePath().normalize();
        Path gitDir = checkout(d);
        List<String> argv = new ArrayList<>(HARDENING.size() + args.size() + 3);
        argv.add("git");
        argv.addAll(HARDENING);
        argv.add("--git-dir=" + gitDir);
        argv.add("--work-tree=" + d);
        argv.addAll(args);
        return counted(new ProcessSpec(argv, d, stdin, env, timeout, null, null, null, null, true));
    }

    private ProcessResult counted(ProcessSpec spec) {
        long t0 = System.nanoTime();
        try {
            return runner.run(spec);
        } finally {
            processes.incrementAndGet();
            processNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    /** git outside any repository (clone): still no hooks, no templates, no fsmonitor. */
    private ProcessResult gitOutside(Path dir, List<String> args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(HARDENING);
        argv.addAll(args);
        return counted(new ProcessSpec(argv, dir, null, env, timeout, null, null, null, null, true));
    }

    /** The git directory of {@code dir}: a clone's own {@code .git}, or a worktree this client registered. */
    private Path checkout(Path dir) {
        Path gitDir = worktrees.get(dir);
        if (gitDir != null) {
            WorktreeLinks.verify(dir, gitDir);
            GitConfigGuard.check(gitDir);
            return gitDir;
        }
        Path dotGit = dir.resolve(".git");
        if (Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            GitConfigGuard.check(dotGit);
            return dotGit;
        }
        throw new UntrustedContentException(UntrustedContentException.WORKTREE_TAMPERED,
                redactor.redact("not a checkout made by the service (its .git is missing or was replaced): " + dir));
    }

    /** Registers the worktree git just made (or one found registered in the clone's worktree list). */
    void register(Path repo, Path worktree) {
        Path realWorktree;
        try {
            realWorktree = worktree.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path gitDir = WorktreeLinks.adminDir(repo, worktree);
        if (!WorktreeLinks.pointsBack(gitDir, realWorktree)) {
            throw new UntrustedContentException(UntrustedContentException.WORKTREE_TAMPERED,
                    "the clone's worktree record does not point at " + worktree);
        }
        WorktreeLinks.verify(worktree, gitDir);
        worktrees.put(worktree.toAbsolutePath().normalize(), gitDir);
    }

    GitException failure(String op, ProcessResult r) {
        String why = r.timedOut() ? "timed out" : "exit " + r.exitCode();
        String err = r.stderrTail().strip();
        if (err.isEmpty()) err = r.stdout().strip();
        return new GitException(redactor.redact("git " + op + " failed (" + why + "): " + err), r.exitCode());
    }
}
