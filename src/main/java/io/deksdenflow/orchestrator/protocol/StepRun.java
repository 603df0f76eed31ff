package io.deksdenflow.orchestrator.protocol;

import java.util.List;
import java.util.Optional;

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
        String qaVerdictSource,
        String blockedReason,
        List<StepQuestion> questions) {

    /** The blocked_reason of a step whose agent asked a question that waits for an answer. */
    public static final String NEEDS_INPUT = "needs_input";

    public StepRun {
        questions = questions == null ? List.of() : List.copyOf(questions);
    }

    public StepRun(long id, long protocolRunId, int stepIndex, String stepName, StepType stepType, StepStatus status,
                   String engine, String model, long tokensUsed, Double costUsd, String qaVerdict, String qaReport,
                   String executionCommit, Long executedSeq, String lastError, Long startedAt, Long finishedAt,
                   long version, long createdAt, long updatedAt, List<CheckResult> qaChecks, String qaVerdictSource) {
        this(id, protocolRunId, stepIndex, stepName, stepType, status, engine, model, tokensUsed, costUsd, qaVerdict,
                qaReport, executionCommit, executedSeq, lastError, startedAt, finishedAt, version, createdAt, updatedAt,
                qaChecks, qaVerdictSource, null, null);
    }

    /** The question that waits for an answer, if any (the last one asked, while unanswered). */
    public Optional<StepQuestion> openQuestion() {
        if (questions.isEmpty()) return Optional.empty();
        StepQuestion last = questions.get(questions.size() - 1);
        return last.open() ? Optional.of(last) : Optional.empty();
    }

    public StepRun(long id, long protocolRunId, int stepIndex, String stepName, StepType stepType, StepStatus status,
                   String engine, String model, long tokensUsed, Double costUsd, String qaVerdict, String qaReport,
                   String executionCommit, Long executedSeq, String lastError, Long startedAt, Long finishedAt,
                   long version, long createdAt, long updatedAt) {
        this(id, protocolRunId, stepIndex, stepName, stepType, status, engine, model, tokensUsed, costUsd, qaVerdict,
                qaReport, executionCommit, executedSeq, lastError, startedAt, finishedAt, version, createdAt, updatedAt,
                null, null, null, null);
    }

    /** File name without ".md": "01-build.md" → "01-build". */
    public String stem() {
        return stepName.endsWith(".md") ? stepName.substring(0, stepName.length() - 3) : stepName;
    }

    /** The two-digit prefix used in commit tags. */
    public String number() { return stepName.substring(0, 2); }
}
