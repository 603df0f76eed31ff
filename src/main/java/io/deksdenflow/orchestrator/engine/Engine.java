package io.deksdenflow.orchestrator.engine;

/**
 * A coding-agent CLI. Implementations run one call and return its text and usage, or throw
 * {@link EngineException} (retryable), {@link MissingBinaryException} or
 * {@link EngineCancelledException} (not retryable).
 */
public interface Engine {

    /** Registry key: "codex", "claude", "command". */
    String name();

    EngineResult run(EngineRequest request, CancelHandle cancel);

    /** Tokens estimated from text length when a CLI reports no usage: chars / 4, rounded up. */
    static long estimateTokens(String text) {
        return text == null ? 0 : (text.length() + 3) / 4;
    }
}
