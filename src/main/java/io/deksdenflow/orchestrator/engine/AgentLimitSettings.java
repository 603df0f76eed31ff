package io.deksdenflow.orchestrator.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Resource bounds of one agent run ({@code DEKSDENFLOW_AGENT_MEMORY_MB}, {@code _PIDS},
 * {@code _FILE_SIZE_MB}, {@code _CPU_SECONDS}) and of the worktree it leaves
 * ({@code DEKSDENFLOW_WORKTREE_MAX_MB}); 0 turns a bound off. Bound in application.yml.
 */
@ConfigurationProperties(prefix = "deksdenflow.agent-limits")
public record AgentLimitSettings(
        @DefaultValue("4096") long memoryMb,
        @DefaultValue("1024") int pids,
        @DefaultValue("1024") long fileSizeMb,
        @DefaultValue("7200") long cpuSeconds,
        @DefaultValue("2048") long worktreeMaxMb) {

    public AgentLimitSettings {
        requireNonNegative("DEKSDENFLOW_AGENT_MEMORY_MB", memoryMb);
        requireNonNegative("DEKSDENFLOW_AGENT_PIDS", pids);
        requireNonNegative("DEKSDENFLOW_AGENT_FILE_SIZE_MB", fileSizeMb);
        requireNonNegative("DEKSDENFLOW_AGENT_CPU_SECONDS", cpuSeconds);
        requireNonNegative("DEKSDENFLOW_WORKTREE_MAX_MB", worktreeMaxMb);
    }

    /** No bounds at all (unit tests of the engines). */
    public static AgentLimitSettings off() {
        return new AgentLimitSettings(0, 0, 0, 0, 0);
    }

    private static void requireNonNegative(String variable, long value) {
        if (value < 0) throw new IllegalArgumentException(variable + " must be 0 (off) or a positive number, not " + value);
    }
}
