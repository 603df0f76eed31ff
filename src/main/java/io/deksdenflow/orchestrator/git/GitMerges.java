package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.UntrustedFiles;
import io.deksdenflow.orchestrator.engine.ProcessResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bringing a protocol's branch up to date with its base (issue #23): a merge ({@code git merge --no-ff --no-edit})
 * or a rebase onto {@code origin/<base>}, the files a conflict left unmerged, the commit messages of both sides,
 * and the resolution's commit (a rewritten branch is pushed with {@link OriginSync#pushLeased}). Runs through {@link GitClient}'s
 * pinned, hook-free runner. A merge or rebase is never left half done: {@link #merge} and {@link #rebase} abort on a
 * conflict themselves; {@link #startMerge} leaves the markers for an agent, and its caller ends with
 * {@link #commitMerge} or {@link #abort} (in a {@code finally}).
 */
public final class GitMerges {
    /** How many commits of each side a conflict's prompt lists. */
    static final int SIDE_COMMITS = 20;
    private static final Pattern MARKER = Pattern.compile("(?m)^(<{7}|>{7})( |$)");

    private final GitClient git;

    private GitMerges(GitClient git) {
        this.git = git;
    }

    public static GitMerges of(GitClient git) {
        return new GitMerges(git);
    }

    /** A merge or rebase: clean (with the new head) or conflicted (with the unmerged files, sorted). */
    public record Outcome(boolean clean, String head, List<String> conflicts) {}

    /** The commit {@code ref} names, if it names one. */
    public Optional<String> sha(Path worktree, String ref) {
        ProcessResult r = git.git(worktree, List.of("rev-parse", "--verify", "--quiet", ref + "^{commit}"), null);
        return r.exitCode() == 0 ? Optional.of(r.stdout().strip()) : Optional.empty();
    }

    /** Whether {@code ref} is HEAD or one of its ancestors (its commits are all in HEAD). */
    public boolean contains(Path worktree, String ref) {
        return isAncestor(worktree, ref, "HEAD");
    }

    /** Whether {@code ancestor} is {@code descendant} or one of its ancestors. */
    public boolean isAncestor(Path worktree, String ancestor, String descendant) {
        ProcessResult r = git.git(worktree, List.of("merge-base", "--is-ancestor", ancestor, descendant), null);
        if (r.exitCode() == 0) return true;
        if (r.exitCode() == 1) return false;
        throw git.failure("merge-base", r);
    }

    /** Merges {@code origin/<base>} into HEAD as a merge commit; a conflict is aborted and its files returned. */
    public Outcome merge(Path worktree, String base, String message) {
        Outcome o = startMerge(worktree, base, message);
        if (!o.clean()) abort(worktree);
        return o;
    }

    /**
     * Begins the merge of {@code origin/<base>} into HEAD. Clean: committed. Conflicted: the worktree holds the
     * conflict markers and the caller must {@link #commitMerge} or {@link #abort}.
     */
    public Outcome startMerge(Path worktree, String base, String message) {
        String ref = git.resolveBase(worktree, base);
        git.configureIdentity(worktree);
        ProcessResult r = git.git(worktree, List.of("merge", "--quiet", "--no-ff", "--no-edit", "--no-verify",
                "-m", message, ref), null);
        return outcome(worktree, r, "merge");
    }

    /** Rebases HEAD onto {@code origin/<base>}; a conflict is aborted and its files returned. */
    public Outcome rebase(Path worktree, String base) {
        String ref = git.resolveBase(worktree, base);
        git.configureIdentity(worktree);
        ProcessResult r = git.git(worktree, List.of("-c", "core.editor=true", "rebase", "--quiet", "--no-autostash",
                ref), null);
        Outcome o = outcome(worktree, r, "rebase");
        if (!o.clean()) abort(worktree);
        return o;
    }

    private Outcome outcome(Path worktree, ProcessResult r, String op) {
        if (r.exitCode() == 0 && !r.timedOut()) return new Outcome(true, git.headSha(worktree), List.of());
        List<String> files = r.timedOut() ? List.of() : unmerged(worktree);
        if (files.isEmpty()) {
            abort(worktree);
            throw git.failure(op, r);
        }
        return new Outcome(false, null, files);
    }

    /** The paths git holds as unmerged ({@code git diff --name-only --diff-filter=U}), sorted. */
    public List<String> unmerged(Path worktree) {
        String out = git.ok(worktree, List.of("diff", "--name-only", "-z", "--diff-filter=U"));
        return Arrays.stream(out.split("\0")).filter(s -> !s.isBlank()).distinct().sorted().toList();
    }

    /**
     * Of {@code files} (paths in the worktree), those an agent did not resolve: a conflict marker line is left
     * ({@code <<<<<<<} or {@code >>>>>>>} at a line's start), or the path is no regular file reached without a link.
     * A file the resolution deleted counts as resolved.
     */
    public List<String> unresolved(Path worktree, List<String> files) {
        List<String> out = new ArrayList<>();
        for (String f : files) {
            Path p = worktree.resolve(f).normalize();
            if (!p.startsWith(worktree) || linkOnTheWay(worktree, p)) {
                out.add(f);
                continue;
            }
            try {
                if (MARKER.matcher(UntrustedFiles.read(p, 16L * 1024 * 1024, "a conflicted file").text()).find()) out.add(f);
            } catch (NoSuchFileException e) {
                // deleted: a resolution
            } catch (IOException | RuntimeException e) {
                out.add(f);
            }
        }
        return out;
    }

    private static boolean linkOnTheWay(Path worktree, Path file) {
        for (Path p = file.getParent(); p != null && p.startsWith(worktree) && !p.equals(worktree); p = p.getParent()) {
            if (Files.isSymbolicLink(p) || (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
                return true;
            }
        }
        return Files.isSymbolicLink(file);
    }

    /** Stages the whole worktree and commits the merge in progress with {@code message}; returns the new head. */
    public String commitMerge(Path worktree, String message) {
        NestedRepos.stageAll(git, worktree);
        git.okStdin(worktree, List.of("commit", "--quiet", "--no-verify", "-F", "-"), message);
        return git.headSha(worktree);
    }

    /** Whether a merge is in progress (MERGE_HEAD exists). */
    public boolean merging(Path worktree) {
        return git.refExists(worktree, "MERGE_HEAD");
    }

    /** Ends whatever merge or rebase is in progress, back to where it began; nothing in progress is fine. */
    public void abort(Path worktree) {
        if (merging(worktree)) git.ok(worktree, List.of("merge", "--abort"));
        // one process for both places a rebase in progress keeps its state
        String paths = git.ok(worktree, List.of("rev-parse", "--git-path", "rebase-merge", "--git-path", "rebase-apply"));
        boolean rebasing = paths.lines().map(String::strip).filter(l -> !l.isEmpty())
                .anyMatch(l -> Files.isDirectory(worktree.resolve(l), LinkOption.NOFOLLOW_LINKS));
        if (rebasing) git.ok(worktree, List.of("rebase", "--abort"));
    }

    /**
     * The subjects ({@code <short sha> <subject>}) of the newest commits on each side: ours (HEAD, not in the base)
     * and theirs ({@code origin/<base>}, not in HEAD), at most {@value #SIDE_COMMITS} each.
     */
    public Sides sides(Path worktree, String base) {
        String ref = git.resolveBase(worktree, base);
        return new Sides(log(worktree, ref + "..HEAD"), log(worktree, "HEAD.." + ref));
    }

    /** Both sides' commit subjects, newest first. */
    public record Sides(List<String> ours, List<String> theirs) {}

    private List<String> log(Path worktree, String range) {
        String out = git.ok(worktree, List.of("log", "--no-color", "--format=%h %s", "-n", Integer.toString(SIDE_COMMITS), range));
        return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
