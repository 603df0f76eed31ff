package io.deksdenflow.orchestrator.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Resource bounds of one agent run ({@code DEKSDENFLOW_AGENT_MEMORY_MB}, {@code _AGENT_PIDS},
 * {@code _AGENT_FILE_SIZE_MB}, {@code _AGENT_CPU_SECONDS}) and of the worktree it leaves
 * ({@code DEKSDENFLOW_WORKTREE_MAX_MB}); 0 turns a bound off.
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record AgentLimitSettings(
        @DefaultValue("4096") long agentMemoryMb,
        @DefaultValue("1024") int agentPids,
        @DefaultValue("1024") long agentFileSizeMb,
        @DefaultValue("7200") long agentCpuSeconds,
        @DefaultValue("2048") long worktreeMaxMb) {

    public AgentLimitSettings {
        requireNonNegative("DEKSDENFLOW_AGENT_MEMORY_MB", agentMemoryMb);
        requireNonNegative("DEKSDENFLOW_AGENT_PIDS", agentPids);
        requireNonNegative("DEKSDENFLOW_AGENT_FILE_SIZE_MB", agentFileSizeMb);
        requireNonNegative("DEKSDENFLOW_AGENT_CPU_SECONDS", agentCpuSeconds);
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
