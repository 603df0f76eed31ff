package io.deksdenflow.orchestrator.engine;

import java.time.Duration;

/**
 * What an agent call produced. When the CLI does not report usage, {@code tokensIn} is the prompt
 * estimate (chars/4), {@code tokensOut} is 0 and {@code usageReported} is false.
 */
public record EngineResult(
        int exitCode,
        String text,
        long tokensIn,
        long tokensOut,
        boolean usageReported,
        Double costUsd,
        Duration duration) {

    public long tokensTotal() { return tokensIn + tokensOut; }
}
