package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.project.Check;
import java.util.List;
import java.util.Map;

/**
 * One task on a project, worked on in its own worktree and branch named {@code protocolName}.
 * {@code engines} (never null) chooses engines per phase.
 * {@code checks} (null: the project's) overrides the project's QA checks; {@code maxTokens} and
 * {@code maxCostUsd} are its own raised limits ({@code raise_budget}); {@code budgetHold} says which
 * limit paused it (null when it is not paused for budget). {@code issueNumber} and {@code issueUrl} name the
 * forge issue the intake took it in from (null when it was created otherwise).
 */
public record ProtocolRun(
        long id,
        long projectId,
        String protocolName,
        String description,
        String baseBranch,
        String engine,
        boolean autoAdvance,
        ProtocolStatus status,
        ProtocolStatus pausedFrom,
        String worktreePath,
        String prUrl,
        long tokensUsed,
        Double costUsd,
        long execSeq,
        String lastError,
        long version,
        long createdAt,
        long updatedAt,
        List<Check> checks,
        Long maxTokens,
        Double maxCostUsd,
        Map<String, Object> budgetHold,
        Map<String, String> engines,
        Long issueNumber,
        String issueUrl,
        String planApproval,
        String planFeedback,
        int replans) {

    public ProtocolRun {
        engines = engines == null ? Map.of() : Map.copyOf(engines);
    }

    public ProtocolRun(long id, long projectId, String protocolName, String description, String baseBranch, String engine,
                       boolean autoAdvance, ProtocolStatus status, ProtocolStatus pausedFrom, String worktreePath,
                       String prUrl, long tokensUsed, Double costUsd, long execSeq, String lastError, long version,
                       long createdAt, long updatedAt, List<Check> checks, Long maxTokens, Double maxCostUsd,
                       Map<String, Object> budgetHold, Map<String, String> engines, Long issueNumber, String issueUrl) {
        this(id, projectId, protocolName, description, baseBranch, engine, autoAdvance, status, pausedFrom, worktreePath,
                prUrl, tokensUsed, costUsd, execSeq, lastError, version, createdAt, updatedAt, checks, maxTokens,
                maxCostUsd, budgetHold, engines, issueNumber, issueUrl, null, null, 0);
    }

    /** Its plan waits for a person: awaiting approval, or paused while it was. */
    public boolean awaitingPlanApproval() {
        return status == ProtocolStatus.AWAITING_APPROVAL
                || (status == ProtocolStatus.PAUSED && pausedFrom == ProtocolStatus.AWAITING_APPROVAL);
    }

    public ProtocolRun(long id, long projectId, String protocolName, String description, String baseBranch, String engine,
                       boolean autoAdvance, ProtocolStatus status, ProtocolStatus pausedFrom, String worktreePath,
                       String prUrl, long tokensUsed, Double costUsd, long execSeq, String lastError, long version,
                       long createdAt, long updatedAt, List<Check> checks, Long maxTokens, Double maxCostUsd,
                       Map<String, Object> budgetHold, Map<String, String> engines) {
        this(id, projectId, protocolName, description, baseBranch, engine, autoAdvance, status, pausedFrom, worktreePath,
                prUrl, tokensUsed, costUsd, execSeq, lastError, version, createdAt, updatedAt, checks, maxTokens,
                maxCostUsd, budgetHold, engines, null, null);
    }

    public ProtocolRun(long id, long projectId, String protocolName, String description, String baseBranch, String engine,
                       boolean autoAdvance, ProtocolStatus status, ProtocolStatus pausedFrom, String worktreePath,
                       String prUrl, long tokensUsed, Double costUsd, long execSeq, String lastError, long version,
                       long createdAt, long updatedAt, List<Check> checks, Long maxTokens, Double maxCostUsd,
                       Map<String, Object> budgetHold) {
        this(id, projectId, protocolName, description, baseBranch, engine, autoAdvance, status, pausedFrom, worktreePath,
                prUrl, tokensUsed, costUsd, execSeq, lastError, version, createdAt, updatedAt, checks, maxTokens,
                maxCostUsd, budgetHold, null, null, null);
    }

    public ProtocolRun(long id, long projectId, String protocolName, String description, String baseBranch, String engine,
                       boolean autoAdvance, ProtocolStatus status, ProtocolStatus pausedFrom, String worktreePath,
                       String prUrl, long tokensUsed, Double costUsd, long execSeq, String lastError, long version,
                       long createdAt, long updatedAt) {
        this(id, projectId, protocolName, description, baseBranch, engine, autoAdvance, status, pausedFrom, worktreePath,
                prUrl, tokensUsed, costUsd, execSeq, lastError, version, createdAt, updatedAt, null, null, null, null, null, null, null);
    }

    /** The 4-digit number of the protocol name, used in commit tags {@code [protocol-NNNN/NN]}. */
    public String number() { return protocolName.substring(0, 4); }
}
