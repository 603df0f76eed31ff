package io.deksdenflow.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.budget.BudgetSettings;
import io.deksdenflow.orchestrator.customize.CustomizeSettings;
import io.deksdenflow.orchestrator.engine.AgentLimitSettings;
import io.deksdenflow.orchestrator.engine.EngineSettings;
import io.deksdenflow.orchestrator.engine.SandboxSettings;
import io.deksdenflow.orchestrator.git.GitSettings;
import io.deksdenflow.orchestrator.http.ApiSettings;
import io.deksdenflow.orchestrator.ops.MetricsSettings;
import io.deksdenflow.orchestrator.protocol.AutomationSettings;
import io.deksdenflow.orchestrator.queue.QueueSettings;
import io.deksdenflow.orchestrator.secrets.SecretsSettings;
import io.deksdenflow.orchestrator.worker.WorkerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The settings records bind from the DEKSDENFLOW_* variables, keep their defaults and refuse bad values by name. */
class SettingsValidationTest {

    /** Binds {@code type} as start-up does from these environment variables. */
    private static <T> T fromEnvironment(Class<T> type, Map<String, Object> variables) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        return new Binder(ConfigurationPropertySources.get(env)).bindOrCreate("deksdenflow", type);
    }

    @Test
    void aBadValueFailsNamingTheVariable() {
        assertThatThrownBy(() -> fromEnvironment(WorkerSettings.class, Map.of("DEKSDENFLOW_WORKER_CONCURRENCY", "0")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage("DEKSDENFLOW_WORKER_CONCURRENCY must be at least 1, not 0");
        assertThatThrownBy(() -> fromEnvironment(ApiSettings.class, Map.of("DEKSDENFLOW_API_PORT", "70000")))
                .rootCause().hasMessage("DEKSDENFLOW_API_PORT must be between 0 and 65535, not 70000");
        assertThatThrownBy(() -> fromEnvironment(AgentLimitSettings.class, Map.of("DEKSDENFLOW_AGENT_MEMORY_MB", "-1")))
                .rootCause().hasMessageContaining("DEKSDENFLOW_AGENT_MEMORY_MB");
        assertThatThrownBy(() -> fromEnvironment(QueueSettings.class, Map.of("DEKSDENFLOW_JOB_MAX_ATTEMPTS", "0")))
                .rootCause().hasMessageContaining("DEKSDENFLOW_JOB_MAX_ATTEMPTS");
        assertThatThrownBy(() -> fromEnvironment(EngineSettings.class, Map.of("DEKSDENFLOW_ENGINE_TIMEOUT", "0")))
                .rootCause().hasMessageContaining("DEKSDENFLOW_ENGINE_TIMEOUT");
        assertThatThrownBy(() -> fromEnvironment(BudgetSettings.class, Map.of("DEKSDENFLOW_MAX_COST_USD_PER_STEP", "-0.5")))
                .rootCause().hasMessageContaining("DEKSDENFLOW_MAX_COST_USD_PER_STEP");
        assertThatThrownBy(() -> fromEnvironment(AutomationSettings.class, Map.of("DEKSDENFLOW_CI_AUTOFIX_ATTEMPTS", "-1")))
                .rootCause().hasMessageContaining("DEKSDENFLOW_CI_AUTOFIX_ATTEMPTS");
    }

    @Test
    void startUpFailsWithTheVariableInTheMessage() {
        new ApplicationContextRunner()
                .withUserConfiguration(WorkerOnly.class)
                .withPropertyValues("deksdenflow.worker-concurrency=0")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessage("DEKSDENFLOW_WORKER_CONCURRENCY must be at least 1, not 0"));
    }

    @EnableConfigurationProperties(WorkerSettings.class)
    static class WorkerOnly {}

    @Test
    void theVariablesBindTheirComponents() {
        WorkerSettings worker = fromEnvironment(WorkerSettings.class, Map.of("DEKSDENFLOW_WORKER_CONCURRENCY", "5",
                "DEKSDENFLOW_ROLE", "worker", "DEKSDENFLOW_JOB_TIMEOUT", "2h"));
        assertThat(worker.workerConcurrency()).isEqualTo(5);
        assertThat(worker.role()).isEqualTo(WorkerSettings.Role.WORKER);
        assertThat(worker.jobTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(fromEnvironment(AgentLimitSettings.class, Map.of("DEKSDENFLOW_AGENT_MEMORY_MB", "512")).agentMemoryMb())
                .isEqualTo(512);
        assertThat(fromEnvironment(BudgetSettings.class, Map.of("DEKSDENFLOW_MAX_COST_USD_PER_PROJECT_MONTH", "12.5"))
                .maxCostUsdPerProjectMonth()).isEqualTo(12.5);
        assertThat(fromEnvironment(MetricsSettings.class, Map.of("DEKSDENFLOW_METRICS_MODELS", "gpt-5, o3 ,")).metricsModels())
                .containsExactly("gpt-5", "o3");
        assertThat(fromEnvironment(GitSettings.class, Map.of("DEKSDENFLOW_GIT_LOCAL", "false")).gitLocal()).isFalse();
        assertThat(fromEnvironment(SandboxSettings.class, Map.of("DEKSDENFLOW_AGENT_SANDBOX", "bwrap")).agentSandbox())
                .isEqualTo(SandboxSettings.SandboxMode.BWRAP);
        assertThat(fromEnvironment(EngineSettings.class, Map.of("DEKSDENFLOW_QA_ENGINE", " claude ")).qaEngine())
                .isEqualTo("claude");
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        WorkerSettings worker = WorkerSettings.defaults();
        assertThat(worker).isEqualTo(new WorkerSettings(WorkerSettings.Role.ALL, 2, 2, 60, 300, 21600, 60,
                Duration.ofHours(2), 30));
        assertThat(fromEnvironment(WorkerSettings.class, Map.of())).isEqualTo(worker);
        assertThat(ApiSettings.defaults()).isEqualTo(new ApiSettings("", 8000, "", false, false, 200));
        assertThat(DatabaseSettings.defaults()).isEqualTo(new DatabaseSettings("", ".deksdenflow.sqlite", 10));
        assertThat(WorkspaceSettings.defaults()).isEqualTo(new WorkspaceSettings(".deksdenflow/workspace", ""));
        assertThat(WorkspaceSettings.defaults().engineStateRoot())
                .isEqualTo(WorkspaceSettings.defaults().workspaceDir().resolve("engine-state"));
        assertThat(SecretsSettings.defaults()).isEqualTo(new SecretsSettings("", ""));
        assertThat(QueueSettings.defaults()).isEqualTo(new QueueSettings("", "deksdenflow", 3, 86400, 10000));
        assertThat(EngineSettings.defaults()).isEqualTo(new EngineSettings("codex", "", "codex", "claude", "",
                Duration.ofHours(1), 1024 * 1024, "", "", ""));
        assertThat(SandboxSettings.defaults()).isEqualTo(new SandboxSettings(SandboxSettings.SandboxMode.AUTO, "", "", ""));
        assertThat(SettingsBinding.defaults(AgentLimitSettings.class)).isEqualTo(new AgentLimitSettings(4096, 1024, 1024, 7200, 2048));
        assertThat(BudgetSettings.defaults()).isEqualTo(new BudgetSettings(0, 0, BudgetSettings.BudgetMode.STRICT, 0, 0, 0, ""));
        assertThat(AutomationSettings.defaults()).isEqualTo(new AutomationSettings(false, false, 2, false));
        assertThat(GitSettings.defaults().gitLocal()).isNull();
        assertThat(fromEnvironment(GitSettings.class, Map.of()).gitLocal()).isNull();
        assertThat(CustomizeSettings.defaults()).isEqualTo(new CustomizeSettings("./routes", 1000));
        assertThat(MetricsSettings.defaults().metricsModels()).isEqualTo(List.of());
    }

    @Test
    void theListSettingsAreCommaSeparated() {
        SandboxSettings s = SandboxSettings.defaults().withAgentEnv(" A, ,B ").withAgentEgress("x.org ,, 127.0.0.1:1")
                .withAgentSandboxWritable("~/.m2, /tmp/cache");
        assertThat(s.agentEnvNames()).containsExactly("A", "B");
        assertThat(s.agentEgressEntries()).containsExactly("x.org", "127.0.0.1:1");
        assertThat(s.agentSandboxWritableDirs()).first().asString().endsWith("/.m2").doesNotContain("~");
    }
}
