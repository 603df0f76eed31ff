package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.UntrustedFiles;
import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.engine.ProcessResult;
import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.engine.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
    private static final java.util.Set<String> INHERITED = java.util.Set.of("PATH", "HOME", "USER", "LOGNAME", "TZ",
            "TMPDIR", "SSH_AUTH_SOCK", "GIT_SSH_COMMAND", "HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "https_proxy",
            "http_proxy", "no_proxy");
    private static final Pattern BRANCH = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$");

    private final ProcessRunner runner;
    private final Map<String, String> env;
    private final Redactor redactor;
    private final Duration timeout;
    private final Map<Path, Path> worktrees = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicInteger processes = new AtomicInteger();
    private final AtomicLong processNanos = new AtomicLong();
    /** Before every command: no hooks, no fsmonitor, no ext:: transport, no submodule recursion or summary. */
    static final List<String> HARDENING = List.of("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
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
        Map<String, String> s = secrets == null ? Map.of() : secrets;
        List<String> hidden = new ArrayList<>(s.values());
        this.env = new HashMap<>();
        // git gets an allow-list of the service's environment: no GIT_DIR/GIT_WORK_TREE/GIT_CONFIG_* from outside
        System.getenv().forEach((k, v) -> {
            if (INHERITED.contains(k)) env.put(k, v);
        });
        env.putAll(Map.of(
                "GIT_TERMINAL_PROMPT", "0",
                "GCM_INTERACTIVE", "never",
                "GIT_CONFIG_NOSYSTEM", "1",
                "LC_ALL", "C"));
        if (System.getenv("GIT_SSH_COMMAND") == null) env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        String origin = remoteUrl == null ? null : GitUrls.httpsOrigin(remoteUrl);
        GitCredential cred = credentials.from(s);
        if (origin != null && cred != null) {
            String basic = Base64.getEncoder().encodeToString((cred.user() + ":" + cred.token()).getBytes(StandardCharsets.UTF_8));
            env.put("GIT_CONFIG_COUNT", "1");
            env.put("GIT_CONFIG_KEY_0", "http." + origin + ".extraHeader");
            env.put("GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic);
            hidden.add(basic);
        }
        this.redactor = new Redactor(hidden);
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
        if (Files.exists(target) && !isEmptyDir(target)) {
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

    /** Whether {@code origin} of the checkout is a local path or file:// URL (git runs its other side here). */
    boolean localOrigin(Path repo) {
        ProcessResult r = git(repo, List.of("config", "--get", "remote.origin.url"), null);
        return r.exitCode() == 0 && GitUrls.isLocal(r.stdout().strip());
    }

    /**
     * A worktree for {@code branch} at {@code path}: reused when already there; else the local branch,
     * else origin's branch (tracked), else a new branch from {@code startPoint} (origin's copy preferred).
     */
    public Path addWorktree(Path repo, Path path, String branch, String startPoint) {
        requireBranch(branch);
        Path target = path.toAbsolutePath().normalize();
        if (isWorktree(repo, target)) {
            register(repo, target);
            return target;
        }
        ok(repo, List.of("worktree", "prune"));
        if (Files.exists(target) && !isEmptyDir(target)) {
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
        NestedRepos.stageAll(this, worktree);
        ProcessResult staged = git(worktree, List.of("diff", "--cached", "--quiet", NO_SUBMODULES), null);
        if (staged.exitCode() == 0) return Optional.empty();
        if (staged.exitCode() != 1) throw failure("diff", staged);
        okStdin(worktree, List.of("commit", "--quiet", "--no-verify", "-F", "-"), message);
        return Optional.of(headSha(worktree));
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
        // one git process in the usual case (both set), not one per key: this runs before every commit
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

    private static boolean isEmptyDir(Path p) {
        if (!Files.isDirectory(p)) return false;
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
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
            verifyWorktreeLink(dir, gitDir);
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

    /** {@code <worktree>/.git} must still be the regular file git wrote, pointing at {@code gitDir}. */
    private static void verifyWorktreeLink(Path worktree, Path gitDir) {
        Path dotGit = worktree.resolve(".git");
        String content = null;
        if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            try {
                content = UntrustedFiles.read(dotGit, 4096, "the worktree's .git file").text().strip();
            } catch (IOException e) {
                content = null;
            }
        }
        if (!("gitdir: " + gitDir).equals(content)) {
            throw new UntrustedContentException(UntrustedContentException.WORKTREE_TAMPERED,
                    "the worktree's .git was replaced (expected a file pointing at the service's git directory): " + worktree);
        }
    }

    /** Registers the worktree git just made (or one found registered in the clone's worktree list). */
    private void register(Path repo, Path worktree) {
        Path realRepo;
        Path realWorktree;
        try {
            realRepo = repo.toRealPath();
            realWorktree = worktree.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path gitDir = realRepo.resolve(".git").resolve("worktrees").resolve(worktree.getFileName().toString());
        Path back = gitDir.resolve("gitdir");
        String points = null;
        try {
            if (Files.isRegularFile(back, LinkOption.NOFOLLOW_LINKS)) points = UntrustedFiles.read(back, 4096, "gitdir").text().strip();
        } catch (IOException ignored) {
            // reported below
        }
        if (!realWorktree.resolve(".git").toString().equals(points)) {
            throw new UntrustedContentException(UntrustedContentException.WORKTREE_TAMPERED,
                    "the clone's worktree record does not point at " + worktree);
        }
        verifyWorktreeLink(worktree, gitDir);
        worktrees.put(worktree.toAbsolutePath().normalize(), gitDir);
    }

    GitException failure(String op, ProcessResult r) {
        String why = r.timedOut() ? "timed out" : "exit " + r.exitCode();
        String err = r.stderrTail().strip();
        if (err.isEmpty()) err = r.stdout().strip();
        return new GitException(redactor.redact("git " + op + " failed (" + why + "): " + err), r.exitCode());
    }
}
