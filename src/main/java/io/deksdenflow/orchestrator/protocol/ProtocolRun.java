package io.deksdenflow.orchestrator.protocol;

import java.util.Map;

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
        long updatedAt,
        Map<String, String> engines) {

    /** {@code engines} (per phase, each optional) is never null. */
    public ProtocolRun {
        engines = engines == null ? Map.of() : Map.copyOf(engines);
    }

    /** The 4-digit number of the protocol name, used in commit tags {@code [protocol-NNNN/NN]}. */
    public String number() { return protocolName.substring(0, 4); }
}
