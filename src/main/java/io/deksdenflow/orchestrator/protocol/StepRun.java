package io.deksdenflow.orchestrator.protocol;

import java.util.List;

/** One step file of a protocol's plan, executed and then gated by QA or approval. */
public record StepRun(
        long id,
        long protocolRunId,
        int stepIndex,
        String stepName,
        StepType stepType,
        StepStatus status,
        String engine,
        String model,
        long tokensUsed,
        Double costUsd,
        String qaVerdict,
        String qaReport,
        String executionCommit,
        Long executedSeq,
        String lastError,
        Long startedAt,
        Long finishedAt,
        long version,
        long createdAt,
        long updatedAt,
        List<CheckResult> qaChecks,
        String qaVerdictSource) {

    public StepRun(long id, long protocolRunId, int stepIndex, String stepName, StepType stepType, StepStatus status,
                   String engine, String model, long tokensUsed, Double costUsd, String qaVerdict, String qaReport,
                   String executionCommit, Long executedSeq, String lastError, Long startedAt, Long finishedAt,
                   long version, long createdAt, long updatedAt) {
        this(id, protocolRunId, stepIndex, stepName, stepType, status, engine, model, tokensUsed, costUsd, qaVerdict,
                qaReport, executionCommit, executedSeq, lastError, startedAt, finishedAt, version, createdAt, updatedAt,
                null, null);
    }

    /** File name without ".md": "01-build.md" → "01-build". */
    public String stem() {
        return stepName.endsWith(".md") ? stepName.substring(0, stepName.length() - 3) : stepName;
    }

    /** The two-digit prefix used in commit tags. */
    public String number() { return stepName.substring(0, 2); }
}
