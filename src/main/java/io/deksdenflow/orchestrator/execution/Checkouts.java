package io.deksdenflow.orchestrator.execution;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this process knows of the worktrees it prepared: origin's head of the protocol branch when the job
 * started (the lease of its push; null: origin had no such branch), and whether the worktree had to be built
 * (cold) or was on this disk already (warm), with the time that took.
 */
final class Checkouts {
    /**
     * One worktree as prepared for a job; {@code head} its HEAD after the preparation (origin's head, the worktree
     * exactly there), null when not known.
     */
    record Checkout(String originHead, boolean cold, long prepareMs, String head) {}

    private final Map<Path, Checkout> byWorktree = new ConcurrentHashMap<>();
    private final Map<Path, String> settled = new ConcurrentHashMap<>();

    void prepared(Path worktree, Checkout checkout) {
        byWorktree.put(key(worktree), checkout);
    }

    Optional<Checkout> get(Path worktree) {
        return Optional.ofNullable(byWorktree.get(key(worktree)));
    }

    /** The job pushed {@code sha}: its next push (if any) expects origin's branch there. */
    void pushed(Path worktree, String sha) {
        byWorktree.computeIfPresent(key(worktree), (k, c) -> new Checkout(sha, c.cold(), c.prepareMs(), c.head()));
    }

    /**
     * The job left the worktree exactly at {@code sha} (all of it committed, nothing left out) and pushed it: the
     * next job here need not reset it when origin's head is still {@code sha}.
     */
    void settled(Path worktree, String sha) {
        settled.put(key(worktree), sha);
    }

    /** Where the last job settled the worktree (null: not known); taken, so that only the very next job trusts it. */
    String takeSettled(Path worktree) {
        return settled.remove(key(worktree));
    }

    void removed(Path worktree) {
        byWorktree.remove(key(worktree));
        settled.remove(key(worktree));
    }

    private static Path key(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
