package io.deksdenflow.orchestrator.git;

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
        Optional<String> head = remoteHead(git, worktree, branch);
        if (head.isPresent()) {
            if (!git.refExists(worktree, head.get()) || !git.headSha(worktree).equals(head.get())) {
                git.fetch(worktree, branch);
            }
            git.resetHard(worktree, head.get());
        } else {
            git.fetch(worktree, baseBranch);
            git.resetHard(worktree, git.resolveBase(worktree, baseBranch));
        }
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
