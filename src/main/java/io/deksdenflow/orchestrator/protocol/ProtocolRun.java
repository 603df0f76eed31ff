package io.deksdenflow.orchestrator.protocol;

/** One task on a project, worked on in its own worktree and branch named {@code protocolName}. */
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
        long updatedAt) {

    /** The 4-digit number of the protocol name, used in commit tags {@code [protocol-NNNN/NN]}. */
    public String number() { return protocolName.substring(0, 4); }
}
