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
    /** One worktree as prepared for a job. */
    record Checkout(String originHead, boolean cold, long prepareMs) {}

    private final Map<Path, Checkout> byWorktree = new ConcurrentHashMap<>();

    void prepared(Path worktree, Checkout checkout) {
        byWorktree.put(key(worktree), checkout);
    }

    Optional<Checkout> get(Path worktree) {
        return Optional.ofNullable(byWorktree.get(key(worktree)));
    }

    /** The job pushed {@code sha}: its next push (if any) expects origin's branch there. */
    void pushed(Path worktree, String sha) {
        byWorktree.computeIfPresent(key(worktree), (k, c) -> new Checkout(sha, c.cold(), c.prepareMs()));
    }

    void removed(Path worktree) {
        byWorktree.remove(key(worktree));
    }

    private static Path key(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
