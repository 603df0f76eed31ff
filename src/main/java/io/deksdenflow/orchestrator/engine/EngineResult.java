package io.deksdenflow.orchestrator.engine;

import java.time.Duration;

/**
 * What an agent call produced. When the CLI does not report usage, {@code tokensIn} is the prompt
 * estimate (chars/4), {@code tokensOut} is 0 and {@code usageReported} is false. {@code toolFailure}
 * (nullable) describes the first tool call the agent reported as failed (a command that could not
 * run, a denied tool).
 */
public record EngineResult(
        int exitCode,
        String text,
        long tokensIn,
        long tokensOut,
        boolean usageReported,
        Double costUsd,
        Duration duration,
        String toolFailure) {

    public EngineResult(int exitCode, String text, long tokensIn, long tokensOut, boolean usageReported, Double costUsd,
                        Duration duration) {
        this(exitCode, text, tokensIn, tokensOut, usageReported, costUsd, duration, null);
    }

    public long tokensTotal() { return tokensIn + tokensOut; }
}
