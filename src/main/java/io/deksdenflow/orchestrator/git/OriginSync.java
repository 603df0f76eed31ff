package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.engine.ProcessResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A worktree whose checkpoint is origin's protocol branch (workers without a shared disk): brought to origin's
 * head before a job, and pushed with a lease on the head the job started from, so that a worker that raced or
 * lost its protocol's lease can never overwrite what another pushed.
 */
public final class OriginSync {
    private OriginSync() {}

    /** Origin's head of {@code branch}, asked of origin itself (not a possibly stale remote-tracking ref); empty when origin has no such branch. */
    public static Optional<String> remoteHead(GitClient git, Path checkout, String branch) {
        GitClient.requireBranch(branch);
        List<String> args = new ArrayList<>(List.of("ls-remote"));
        if (git.localOrigin(checkout)) args.add(GitClient.UPLOAD_PACK);
        args.addAll(List.of("origin", "refs/heads/" + branch));
        String out = git.ok(checkout, args);
        for (String line : out.split("\n")) {
            String[] cols = line.strip().split("\\s+");
            if (cols.length == 2 && cols[1].equals("refs/heads/" + branch)) return Optional.of(cols[0]);
        }
        return Optional.empty();
    }

    /**
     * Puts the worktree exactly at origin's head of {@code branch} (tracked changes reset, untracked files
     * removed); when origin has no such branch yet, at the base branch (the branch is new: nothing of it was
     * checkpointed). Returns origin's head, empty for a branch origin does not have.
     */
    public static Optional<String> toOrigin(GitClient git, Path worktree, String branch, String baseBranch) {
        return toOrigin(git, worktree, branch, baseBranch, null);
    }

    /**
     * The same, for a worktree known to be exactly at {@code settled} (its last job committed all of it there and
     * pushed it; null: not known): when origin's head is still that commit there is nothing to fetch or reset.
     */
    public static Optional<String> toOrigin(GitClient git, Path worktree, String branch, String baseBranch, String settled) {
        Optional<String> head = remoteHead(git, worktree, branch);
        if (head.isPresent()) {
            if (head.get().equals(settled)) return head;
            // one process: HEAD, and whether origin's head is here at all (--revs-only: a missing one is left out);
            // fetched unless HEAD is origin's head already
            ProcessResult r = git.git(worktree, List.of("rev-parse", "--revs-only", "HEAD", head.get() + "^{commit}"), null);
            if (r.exitCode() != 0 || !r.stdout().strip().equals(head.get() + "\n" + head.get())) git.fetch(worktree, branch);
            git.resetHard(worktree, head.get());
        } else {
            git.fetch(worktree, baseBranch);
            git.resetHard(worktree, git.resolveBase(worktree, baseBranch));
        }
        return head;
    }

    /**
     * A new worktree of {@code repo} at {@code path} for {@code branch}, checked out directly at origin's head of the
     * branch (the local branch made or moved there), or at the base branch when origin has no such branch yet; what
     * {@link GitClient#addWorktree} and then {@link #toOrigin} give, in three git processes (ls-remote, a fetch of
     * the branch or the base, worktree add) instead of eight or more. Returns origin's head, empty for a new branch.
     */
    public static Optional<String> newWorktree(GitClient git, Path repo, Path path, String branch, String baseBranch) {
        GitClient.requireBranch(branch);
        GitClient.requireBranch(baseBranch);
        Path target = path.toAbsolutePath().normalize();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !WorktreeLinks.isEmptyDir(target)) {
            throw new GitException("worktree path exists and is not a worktree of " + repo.getFileName() + ": " + target, -1);
        }
        Optional<String> head = remoteHead(git, repo, branch);
        git.fetch(repo, head.isPresent() ? branch : baseBranch);
        // a record left by a worktree whose directory is gone would keep the branch "checked out" there
        if (Files.exists(WorktreeLinks.adminDir(repo, target), LinkOption.NOFOLLOW_LINKS)) git.ok(repo, List.of("worktree", "prune"));
        String start = head.orElse("refs/remotes/origin/" + baseBranch);
        git.ok(repo, List.of("worktree", "add", "--quiet", "--no-track", "-B", branch, target.toString(), start));
        git.register(repo, target);
        git.configureIdentity(target);
        return head;
    }

    /**
     * Pushes HEAD to origin's {@code branch} only if origin's branch is still {@code expected} (null: it must not
     * exist): {@code --force-with-lease=refs/heads/<branch>:<expected>}. A rejection is a {@link GitException}.
     */
    public static void pushLeased(GitClient git, Path worktree, String branch, String expected) {
        GitClient.requireBranch(branch);
        if (expected != null && !expected.matches("[0-9a-f]{40,64}")) throw new IllegalArgumentException("not a commit sha: " + expected);
        List<String> args = new ArrayList<>(List.of("push", "--quiet", "-u"));
        if (git.localOrigin(worktree)) args.add(GitClient.RECEIVE_PACK);
        args.add("--force-with-lease=refs/heads/" + branch + ":" + (expected == null ? "" : expected));
        args.addAll(List.of("origin", "HEAD:refs/heads/" + branch));
        git.ok(worktree, args);
    }

    /** Removes a worktree of {@code repo} (its files, modified or not, and its record) and prunes stale records. */
    public static void removeWorktree(GitClient git, Path repo, Path worktree) {
        git.ok(repo, List.of("worktree", "remove", "--force", "--force", worktree.toAbsolutePath().normalize().toString()));
        git.ok(repo, List.of("worktree", "prune"));
    }
}
