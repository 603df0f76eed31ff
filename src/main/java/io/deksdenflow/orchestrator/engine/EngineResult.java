package io.deksdenflow.orchestrator.engine;

import java.time.Duration;

/**
 * What an agent call produced. When the CLI does not report usage, {@code tokensIn} is the prompt
 * estimate (chars/4), {@code tokensOut} is 0 and {@code usageReported} is false. {@code tokensCached}
 * is the part of {@code tokensIn} the provider served from its prompt cache (priced lower).
 * {@code toolFailure} (nullable) describes the first tool call the agent reported as failed (a
 * command that could not run, a denied tool).
 */
public record EngineResult(
        int exitCode,
        String text,
        long tokensIn,
        long tokensOut,
        boolean usageReported,
        Double costUsd,
        Duration duration,
        long tokensCached,
        String toolFailure) {

    public EngineResult(int exitCode, String text, long tokensIn, long tokensOut, boolean usageReported, Double costUsd,
                        Duration duration) {
        this(exitCode, text, tokensIn, tokensOut, usageReported, costUsd, duration, 0, null);
    }

    public EngineResult(int exitCode, String text, long tokensIn, long tokensOut, boolean usageReported, Double costUsd,
                        Duration duration, long tokensCached) {
        this(exitCode, text, tokensIn, tokensOut, usageReported, costUsd, duration, tokensCached, null);
    }

    public long tokensTotal() { return tokensIn + tokensOut; }
}
