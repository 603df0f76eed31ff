package io.deksdenflow.orchestrator.testsupport;

import io.deksdenflow.orchestrator.budget.BudgetSettings;
import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.engine.AgentSandbox;
import io.deksdenflow.orchestrator.engine.EngineSettings;
import io.deksdenflow.orchestrator.engine.HiddenPaths;
import io.deksdenflow.orchestrator.engine.SandboxSettings;
import io.deksdenflow.orchestrator.git.GitSettings;
import io.deksdenflow.orchestrator.http.ApiSettings;
import io.deksdenflow.orchestrator.ops.MetricsSettings;
import io.deksdenflow.orchestrator.secrets.SecretsSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings for unit tests that build beans by hand: set what the test needs (by the old setter names, or
 * {@link #set} with the kebab-case name), then take the records, each bound as at start-up (defaults,
 * checks) from the values set so far.
 */
public final class TestSettings {
    private final Map<String, String> values = new LinkedHashMap<>();

    /** {@code name} as below the prefix in kebab case, e.g. {@code worker-concurrency}. */
    public TestSettings set(String name, Object value) {
        values.put(name, value instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : String.valueOf(value));
        return this;
    }

    public <T> T get(Class<T> type) { return SettingsBinding.bind(type, values); }

    public ApiSettings api() { return get(ApiSettings.class); }
    public DatabaseSettings database() { return get(DatabaseSettings.class); }
    public WorkspaceSettings workspace() { return get(WorkspaceSettings.class); }
    public SecretsSettings secrets() { return get(SecretsSettings.class); }
    public EngineSettings engine() { return get(EngineSettings.class); }
    public SandboxSettings sandbox() { return get(SandboxSettings.class); }
    public BudgetSettings budget() { return get(BudgetSettings.class); }
    public MetricsSettings metrics() { return get(MetricsSettings.class); }
    public GitSettings git() { return get(GitSettings.class); }

    /** The sandbox of these settings, {@code env} standing in for the service's environment. */
    public AgentSandbox agentSandbox(List<HiddenPaths> hidden, Map<String, String> env) {
        return new AgentSandbox(sandbox(), workspace(), database(), hidden, env);
    }

    public TestSettings setWorkspace(String v) { return set("workspace", v); }
    public TestSettings setEngineStateDir(String v) { return set("engine-state-dir", v); }
    public TestSettings setDbPath(String v) { return set("db-path", v); }
    public TestSettings setApiToken(String v) { return set("api-token", v); }
    public TestSettings setExposePaths(boolean v) { return set("expose-paths", v); }
    public TestSettings setSecretsKey(String v) { return set("secrets-key", v); }
    public TestSettings setSecretsKeyFile(String v) { return set("secrets-key-file", v); }
    public TestSettings setAgentSandbox(SandboxSettings.SandboxMode v) { return set("agent-sandbox", v); }
    public TestSettings setAgentSandboxWritable(String v) { return set("agent-sandbox-writable", v); }
    public TestSettings setAgentEnv(String v) { return set("agent-env", v); }
    public TestSettings setAgentEgress(String v) { return set("agent-egress", v); }
    public TestSettings setEngine(String v) { return set("engine", v); }
    public TestSettings setQaEngine(String v) { return set("qa-engine", v); }
    public TestSettings setCodexBin(String v) { return set("codex-bin", v); }
    public TestSettings setClaudeBin(String v) { return set("claude-bin", v); }
    public TestSettings setEngineCommand(String v) { return set("engine-command", v); }
    public TestSettings setEngineTimeout(Duration v) { return set("engine-timeout", v.toSeconds()); }
    public TestSettings setModelPrices(String v) { return set("model-prices", v); }
    public TestSettings setMaxTokensPerStep(long v) { return set("max-tokens-per-step", v); }
    public TestSettings setMaxTokensPerProtocol(long v) { return set("max-tokens-per-protocol", v); }
    public TestSettings setMaxCostUsdPerProtocol(double v) { return set("max-cost-usd-per-protocol", v); }
    public TestSettings setMaxCostUsdPerProjectMonth(double v) { return set("max-cost-usd-per-project-month", v); }
    public TestSettings setTokenBudgetMode(BudgetSettings.BudgetMode v) { return set("token-budget-mode", v); }
    public TestSettings setMetricsModels(List<String> v) { return set("metrics-models", String.join(",", v)); }
}
