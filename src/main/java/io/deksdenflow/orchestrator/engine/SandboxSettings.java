package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The agents' sandbox: DEKSDENFLOW_AGENT_SANDBOX (auto, bwrap or none), the extra directories agents may
 * write (DEKSDENFLOW_AGENT_SANDBOX_WRITABLE), the extra variables they get (DEKSDENFLOW_AGENT_ENV) and what
 * they may reach besides their model API (DEKSDENFLOW_AGENT_EGRESS); the three lists comma-separated.
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record SandboxSettings(
        @DefaultValue("auto") SandboxMode agentSandbox,
        @DefaultValue("") String agentSandboxWritable,
        @DefaultValue("") String agentEnv,
        @DefaultValue("") String agentEgress) {

    /** DEKSDENFLOW_AGENT_SANDBOX. */
    public enum SandboxMode { AUTO, BWRAP, NONE }

    public SandboxSettings {
        if (agentSandbox == null) throw new IllegalArgumentException("DEKSDENFLOW_AGENT_SANDBOX must be auto, bwrap or none");
        agentSandboxWritable = SettingsChecks.orEmpty(agentSandboxWritable);
        agentEnv = SettingsChecks.orEmpty(agentEnv);
        agentEgress = SettingsChecks.orEmpty(agentEgress);
    }

    public static SandboxSettings defaults() { return SettingsBinding.defaults(SandboxSettings.class); }

    public SandboxSettings withAgentSandbox(SandboxMode v) {
        return new SandboxSettings(v, agentSandboxWritable, agentEnv, agentEgress);
    }

    public SandboxSettings withAgentSandboxWritable(String v) {
        return new SandboxSettings(agentSandbox, v, agentEnv, agentEgress);
    }

    public SandboxSettings withAgentEnv(String v) {
        return new SandboxSettings(agentSandbox, agentSandboxWritable, v, agentEgress);
    }

    public SandboxSettings withAgentEgress(String v) {
        return new SandboxSettings(agentSandbox, agentSandboxWritable, agentEnv, v);
    }

    /** DEKSDENFLOW_AGENT_SANDBOX_WRITABLE as absolute, normalized paths ({@code ~} expanded). */
    public List<Path> agentSandboxWritableDirs() {
        return csv(agentSandboxWritable).stream()
                .map(x -> x.equals("~") || x.startsWith("~/") ? Path.of(System.getProperty("user.home") + x.substring(1))
                        : Path.of(x))
                .map(x -> x.toAbsolutePath().normalize()).toList();
    }

    /** DEKSDENFLOW_AGENT_ENV: the names of extra variables agents get. */
    public List<String> agentEnvNames() { return csv(agentEnv); }

    /** DEKSDENFLOW_AGENT_EGRESS: the allow-list entries (a project's own {@code agent_egress} replaces it). */
    public List<String> agentEgressEntries() { return csv(agentEgress); }

    /** A comma-separated setting's entries, stripped, empty ones dropped. */
    private static List<String> csv(String value) {
        if (value.isBlank()) return List.of();
        return Arrays.stream(value.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
}
