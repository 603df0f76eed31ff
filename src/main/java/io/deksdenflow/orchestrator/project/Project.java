package io.deksdenflow.orchestrator.project;

import java.util.List;
import java.util.Map;

/**
 * A registered git repository. {@code secrets} and the token hash never leave the service.
 * {@code checks} is null when none are declared; {@code budget} is never null.
 */
public record Project(
        long id,
        String name,
        String gitUrl,
        String baseBranch,
        String ciProvider,
        String defaultEngine,
        Map<String, String> defaultModels,
        Map<String, String> secrets,
        String projectTokenHash,
        ProjectStatus status,
        String localPath,
        String lastError,
        long version,
        long createdAt,
        long updatedAt,
        List<Check> checks,
        Budget budget,
        Map<String, String> defaultEngines,
        List<String> agentEgress,
        Intake intake,
        String planApproval,
        String sync) {

    /**
     * {@code defaultEngines} (per phase, each optional) is never null; {@code agentEgress} (the agents'
     * network allow-list) is null when the project has none (DEKSDENFLOW_AGENT_EGRESS applies);
     * {@code intake} (work taken from the forge's issues) is null when it takes none; {@code planApproval}
     * ({@link PlanApproval}) is null when unset (auto); {@code sync} ({@link SyncMode}) is null when unset (merge).
     */
    public Project {
        defaultEngines = defaultEngines == null ? Map.of() : Map.copyOf(defaultEngines);
        agentEgress = agentEgress == null ? null : List.copyOf(agentEgress);
    }

    public Project(long id, String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                   Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                   ProjectStatus status, String localPath, String lastError, long version, long createdAt, long updatedAt,
                   List<Check> checks, Budget budget, Map<String, String> defaultEngines, List<String> agentEgress,
                   Intake intake, String planApproval) {
        this(id, name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, status,
                localPath, lastError, version, createdAt, updatedAt, checks, budget, defaultEngines, agentEgress, intake,
                planApproval, null);
    }

    public Project(long id, String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                   Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                   ProjectStatus status, String localPath, String lastError, long version, long createdAt, long updatedAt,
                   List<Check> checks, Budget budget, Map<String, String> defaultEngines, List<String> agentEgress,
                   Intake intake) {
        this(id, name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, status,
                localPath, lastError, version, createdAt, updatedAt, checks, budget, defaultEngines, agentEgress, intake, (String) null);
    }

    public Project(long id, String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                   Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                   ProjectStatus status, String localPath, String lastError, long version, long createdAt, long updatedAt,
                   List<Check> checks, Budget budget, Map<String, String> defaultEngines, List<String> agentEgress) {
        this(id, name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, status,
                localPath, lastError, version, createdAt, updatedAt, checks, budget, defaultEngines, agentEgress, (Intake) null);
    }

    public Project(long id, String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                   Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                   ProjectStatus status, String localPath, String lastError, long version, long createdAt, long updatedAt,
                   List<Check> checks, Budget budget, Map<String, String> defaultEngines) {
        this(id, name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, status,
                localPath, lastError, version, createdAt, updatedAt, checks, budget, defaultEngines, null);
    }

    public Project(long id, String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                   Map<String, String> defaultModels, Map<String, String> secrets, String projectTokenHash,
                   ProjectStatus status, String localPath, String lastError, long version, long createdAt, long updatedAt,
                   List<Check> checks, Budget budget) {
        this(id, name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels, secrets, projectTokenHash, status,
                localPath, lastError, version, createdAt, updatedAt, checks, budget, null, null, null);
    }

    public boolean hasProjectToken() { return projectTokenHash != null && !projectTokenHash.isEmpty(); }

    public String secret(String key) { return secrets == null ? null : secrets.get(key); }
}
