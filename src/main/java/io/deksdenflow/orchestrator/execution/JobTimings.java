package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.git.GitClient;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a worktree job's own time went, outside the agent: milliseconds per phase, in order (the phase that
 * ends at each {@link #mark}), and the git processes the job ran. Put in the outcome event's metadata
 * ({@code timing_ms}, {@code git_processes}, {@code git_ms}) so that {@code bench/scale-out.sh} can show where
 * the per-step overhead is.
 */
final class JobTimings {
    private final Map<String, Long> phases = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** The phase {@code name} ended now (it began at the previous mark, or at construction). */
    void mark(String name) {
        long now = System.nanoTime();
        phases.merge(name, (now - last) / 1_000_000, Long::sum);
        last = now;
    }

    /** Adds the phases and the git client's usage to {@code meta}. */
    void into(Map<String, Object> meta, GitClient git) {
        meta.put("timing_ms", new LinkedHashMap<>(phases));
        GitClient.Usage usage = git.usage();
        meta.put("git_processes", usage.processes());
        meta.put("git_ms", usage.millis());
    }
}
