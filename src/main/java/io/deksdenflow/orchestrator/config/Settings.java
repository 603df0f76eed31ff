package io.deksdenflow.orchestrator.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Every knob of the service. Each field is bound from a DEKSDENFLOW_* environment variable by the
 * explicit mapping in application.yml (one line per setting, with its default), and documented in
 * the README's configuration table.
 */
@ConfigurationProperties(prefix = "deksdenflow")
public class Settings {

    public enum Role { ALL, API, WORKER }

    public enum BudgetMode { STRICT, PAUSE, WARN, OFF }

    public enum SandboxMode { AUTO, BWRAP, NONE }

    // --- API & auth
    private String apiHost = "";
    private int apiPort = 8000;
    private String apiToken = "";
    private boolean allowInsecure = false;
    private String webhookToken = "";
    private boolean webhookAllowUnsigned = false;
    private boolean exposePaths = false;
    private int sseMaxSubscribers = 200;

    // --- storage
    private String dbUrl = "";
    private String dbPath = ".deksdenflow.sqlite";
    private int dbPoolSize = 10;
    private String secretsKey = "";
    private String secretsKeyFile = "";

    // --- queue & workers
    private String redisUrl = "";
    private Role role = Role.ALL;
    private int workerConcurrency = 2;
    private int jobMaxAttempts = 3;
    private int jobBackoffSeconds = 2;
    private int jobBackoffMaxSeconds = 60;
    private int usageLimitBackoffSeconds = 300;
    private int usageLimitMaxWaitSeconds = 21600;
    private String qaEngine = "";
    private int jobLeaseSeconds = 60;
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration jobTimeout = Duration.ofHours(2);
    private int queueFinishedTtlSeconds = 86400;
    private int queueFinishedMax = 10000;
    private int shutdownGraceSeconds = 30;

    // --- execution
    private String workspace = ".deksdenflow/workspace";
    private String engine = "codex";
    private String codexBin = "codex";
    private String claudeBin = "claude";
    private String engineCommand = "";
    private SandboxMode agentSandbox = SandboxMode.AUTO;
    private String agentSandboxWritable = "";
    private String agentEnv = "";
    private String agentEgress = "";
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration engineTimeout = Duration.ofHours(1);
    private long agentOutputMaxBytes = 1024 * 1024;
    private String planningModel = "";
    private String execModel = "";
    private String qaModel = "";
    private long maxTokensPerStep = 0;
    private long maxTokensPerProtocol = 0;
    private BudgetMode tokenBudgetMode = BudgetMode.STRICT;
    private double maxCostUsdPerStep = 0;
    private double maxCostUsdPerProtocol = 0;
    private double maxCostUsdPerProjectMonth = 0;
    private String modelPrices = "";
    private boolean autoQaAfterExec = false;
    private boolean autoQaOnCi = false;
    private int ciAutofixAttempts = 2;
    private boolean ciRerunFailedFirst = false;
    private int ciLogExcerptLines = 200;
    /** Null (unset): local git_urls allowed only without an API token. */
    private Boolean gitLocal = null;
    private String engineStateDir = "";

    // --- customization & ops
    private String routesDir = "./routes";
    private int eventTapQueueSize = 1000;
    private boolean logJson = false;
    private String logLevel = "INFO";
    private java.util.List<String> metricsModels = java.util.List.of();

    public boolean apiTokenSet() { return apiToken != null && !apiToken.isBlank(); }

    /** The SQLite database file when no DEKSDENFLOW_DB_URL names another database. */
    public Optional<Path> sqliteFile() { return DatabaseUrls.from(dbUrl, dbPath).sqliteFile(); }

    /** The SQLite file with its sidecars (-wal, -shm, -journal); empty on PostgreSQL. */
    public List<Path> sqliteFiles() {
        return sqliteFile().map(f -> Stream.of("", "-wal", "-shm", "-journal")
                .map(suffix -> f.resolveSibling(f.getFileName() + suffix)).toList()).orElse(List.of());
    }

    /** DEKSDENFLOW_WORKSPACE as an absolute, normalized path. */
    public Path workspaceDir() { return Path.of(workspace).toAbsolutePath().normalize(); }

    public String getApiHost() { return apiHost; }
    public void setApiHost(String v) { apiHost = v; }
    public int getApiPort() { return apiPort; }
    public void setApiPort(int v) { apiPort = v; }
    public String getApiToken() { return apiToken; }
    public void setApiToken(String v) { apiToken = v; }
    public boolean isAllowInsecure() { return allowInsecure; }
    public void setAllowInsecure(boolean v) { allowInsecure = v; }
    public String getWebhookToken() { return webhookToken; }
    public void setWebhookToken(String v) { webhookToken = v; }
    public boolean isWebhookAllowUnsigned() { return webhookAllowUnsigned; }
    public void setWebhookAllowUnsigned(boolean v) { webhookAllowUnsigned = v; }
    public boolean isExposePaths() { return exposePaths; }
    public void setExposePaths(boolean v) { exposePaths = v; }
    public int getSseMaxSubscribers() { return sseMaxSubscribers; }
    public void setSseMaxSubscribers(int v) { sseMaxSubscribers = v; }
    public String getDbUrl() { return dbUrl; }
    public void setDbUrl(String v) { dbUrl = v; }
    public String getDbPath() { return dbPath; }
    public void setDbPath(String v) { dbPath = v; }
    public int getDbPoolSize() { return dbPoolSize; }
    public void setDbPoolSize(int v) { dbPoolSize = v; }
    public String getSecretsKey() { return secretsKey; }
    public void setSecretsKey(String v) { secretsKey = v; }
    public String getSecretsKeyFile() { return secretsKeyFile; }
    public void setSecretsKeyFile(String v) { secretsKeyFile = v; }
    public String getRedisUrl() { return redisUrl; }
    public void setRedisUrl(String v) { redisUrl = v; }
    public Role getRole() { return role; }
    public void setRole(Role v) { role = v; }
    public int getWorkerConcurrency() { return workerConcurrency; }
    public void setWorkerConcurrency(int v) { workerConcurrency = v; }
    public int getJobMaxAttempts() { return jobMaxAttempts; }
    public void setJobMaxAttempts(int v) { jobMaxAttempts = v; }
    public int getJobBackoffSeconds() { return jobBackoffSeconds; }
    public void setJobBackoffSeconds(int v) { jobBackoffSeconds = v; }
    public int getUsageLimitBackoffSeconds() { return usageLimitBackoffSeconds; }
    public void setUsageLimitBackoffSeconds(int v) { usageLimitBackoffSeconds = v; }
    public int getUsageLimitMaxWaitSeconds() { return usageLimitMaxWaitSeconds; }
    public void setUsageLimitMaxWaitSeconds(int v) { usageLimitMaxWaitSeconds = v; }
    public String getQaEngine() { return qaEngine; }
    public void setQaEngine(String v) { qaEngine = v == null ? "" : v.trim(); }
    public int getJobBackoffMaxSeconds() { return jobBackoffMaxSeconds; }
    public void setJobBackoffMaxSeconds(int v) { jobBackoffMaxSeconds = v; }
    public int getJobLeaseSeconds() { return jobLeaseSeconds; }
    public void setJobLeaseSeconds(int v) { jobLeaseSeconds = v; }
    public Duration getJobTimeout() { return jobTimeout; }
    public void setJobTimeout(Duration v) { jobTimeout = v; }
    public int getQueueFinishedTtlSeconds() { return queueFinishedTtlSeconds; }
    public void setQueueFinishedTtlSeconds(int v) { queueFinishedTtlSeconds = v; }
    public int getQueueFinishedMax() { return queueFinishedMax; }
    public void setQueueFinishedMax(int v) { queueFinishedMax = v; }
    public int getShutdownGraceSeconds() { return shutdownGraceSeconds; }
    public void setShutdownGraceSeconds(int v) { shutdownGraceSeconds = v; }
    public String getWorkspace() { return workspace; }
    public void setWorkspace(String v) { workspace = v; }
    public String getEngine() { return engine; }
    public void setEngine(String v) { engine = v; }
    public String getCodexBin() { return codexBin; }
    public void setCodexBin(String v) { codexBin = v; }
    public String getClaudeBin() { return claudeBin; }
    public void setClaudeBin(String v) { claudeBin = v; }
    public String getEngineCommand() { return engineCommand; }
    public SandboxMode getAgentSandbox() { return agentSandbox; }
    public void setAgentSandbox(SandboxMode v) { agentSandbox = v; }
    public String getAgentSandboxWritable() { return agentSandboxWritable; }
    public void setAgentSandboxWritable(String v) { agentSandboxWritable = v; }
    public String getAgentEnv() { return agentEnv; }
    public void setAgentEnv(String v) { agentEnv = v; }
    public String getAgentEgress() { return agentEgress; }
    public void setAgentEgress(String v) { agentEgress = v == null ? "" : v; }
    public void setEngineCommand(String v) { engineCommand = v; }
    public Duration getEngineTimeout() { return engineTimeout; }
    public long getAgentOutputMaxBytes() { return agentOutputMaxBytes; }
    public void setAgentOutputMaxBytes(long v) { agentOutputMaxBytes = v; }
    public void setEngineTimeout(Duration v) { engineTimeout = v; }
    public String getPlanningModel() { return planningModel; }
    public void setPlanningModel(String v) { planningModel = v; }
    public String getExecModel() { return execModel; }
    public void setExecModel(String v) { execModel = v; }
    public String getQaModel() { return qaModel; }
    public void setQaModel(String v) { qaModel = v; }
    public long getMaxTokensPerStep() { return maxTokensPerStep; }
    public void setMaxTokensPerStep(long v) { maxTokensPerStep = v; }
    public long getMaxTokensPerProtocol() { return maxTokensPerProtocol; }
    public void setMaxTokensPerProtocol(long v) { maxTokensPerProtocol = v; }
    public BudgetMode getTokenBudgetMode() { return tokenBudgetMode; }
    public void setTokenBudgetMode(BudgetMode v) { tokenBudgetMode = v; }
    public double getMaxCostUsdPerStep() { return maxCostUsdPerStep; }
    public void setMaxCostUsdPerStep(double v) { maxCostUsdPerStep = v; }
    public double getMaxCostUsdPerProtocol() { return maxCostUsdPerProtocol; }
    public void setMaxCostUsdPerProtocol(double v) { maxCostUsdPerProtocol = v; }
    public double getMaxCostUsdPerProjectMonth() { return maxCostUsdPerProjectMonth; }
    public void setMaxCostUsdPerProjectMonth(double v) { maxCostUsdPerProjectMonth = v; }
    public String getModelPrices() { return modelPrices; }
    public void setModelPrices(String v) { modelPrices = v; }
    public boolean isAutoQaAfterExec() { return autoQaAfterExec; }
    public void setAutoQaAfterExec(boolean v) { autoQaAfterExec = v; }
    public boolean isAutoQaOnCi() { return autoQaOnCi; }
    public void setAutoQaOnCi(boolean v) { autoQaOnCi = v; }
    /** DEKSDENFLOW_CI_AUTOFIX_ATTEMPTS: agent fix runs per step after CI failures; 0 = off. */
    public int getCiAutofixAttempts() { return ciAutofixAttempts; }
    public void setCiAutofixAttempts(int v) { ciAutofixAttempts = Math.max(0, v); }
    /** DEKSDENFLOW_CI_RERUN_FAILED_FIRST: re-run the failed jobs once through the forge before the first fix. */
    public boolean isCiRerunFailedFirst() { return ciRerunFailedFirst; }
    public void setCiRerunFailedFirst(boolean v) { ciRerunFailedFirst = v; }
    /** DEKSDENFLOW_CI_LOG_EXCERPT_LINES: the most lines kept of one failed job's log. */
    public int getCiLogExcerptLines() { return ciLogExcerptLines; }
    public void setCiLogExcerptLines(int v) { ciLogExcerptLines = Math.max(1, v); }
    public Boolean getGitLocal() { return gitLocal; }
    public void setGitLocal(Boolean v) { gitLocal = v; }

    /**
     * Whether local paths and file:// URLs may be git_urls: DEKSDENFLOW_GIT_LOCAL when set, else only
     * on a service without DEKSDENFLOW_API_TOKEN (a single-user machine, where the repositories are the
     * user's own).
     */
    public boolean gitLocalAllowed() { return gitLocal != null ? gitLocal : !apiTokenSet(); }

    public String getEngineStateDir() { return engineStateDir; }
    public void setEngineStateDir(String v) { engineStateDir = v == null ? "" : v; }

    /** DEKSDENFLOW_ENGINE_STATE_DIR, default {@code <workspace>/engine-state}: the engines' per-project state. */
    public Path engineStateRoot() {
        return engineStateDir.isBlank() ? workspaceDir().resolve("engine-state")
                : Path.of(engineStateDir).toAbsolutePath().normalize();
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
        if (value == null || value.isBlank()) return List.of();
        return Arrays.stream(value.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }
    public String getRoutesDir() { return routesDir; }
    public void setRoutesDir(String v) { routesDir = v; }
    public int getEventTapQueueSize() { return eventTapQueueSize; }
    public void setEventTapQueueSize(int v) { eventTapQueueSize = v; }
    public boolean isLogJson() { return logJson; }
    public void setLogJson(boolean v) { logJson = v; }
    public String getLogLevel() { return logLevel; }
    public void setLogLevel(String v) { logLevel = v; }
    public java.util.List<String> getMetricsModels() { return metricsModels; }
    public void setMetricsModels(java.util.List<String> v) {
        metricsModels = v == null ? java.util.List.of() : v.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
