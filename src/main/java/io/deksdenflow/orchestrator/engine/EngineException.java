package io.deksdenflow.orchestrator.engine;

/**
 * The agent CLI failed (non-zero exit, reported error, or timeout). Retryable: the next attempt
 * may succeed. The message carries the tail of stderr.
 */
public class EngineException extends RuntimeException {
    private final String engine;
    private final int exitCode;
    private final boolean timedOut;
    private final String stderrTail;

    public EngineException(String engine, int exitCode, boolean timedOut, String detail, String stderrTail) {
        super(message(engine, exitCode, timedOut, detail, stderrTail));
        this.engine = engine;
        this.exitCode = exitCode;
        this.timedOut = timedOut;
        this.stderrTail = stderrTail == null ? "" : stderrTail;
    }

    private static String message(String engine, int exitCode, boolean timedOut, String detail, String tail) {
        StringBuilder sb = new StringBuilder(engine);
        if (timedOut) sb.append(" timed out");
        else sb.append(" failed with exit code ").append(exitCode);
        if (detail != null && !detail.isBlank()) sb.append(": ").append(detail.strip());
        if (tail != null && !tail.isBlank()) sb.append(" | stderr: ").append(lastChars(tail.strip(), 1000));
        return sb.toString();
    }

    static String lastChars(String s, int n) {
        return s.length() <= n ? s : "…" + s.substring(s.length() - n);
    }

    public String engine() { return engine; }
    public int exitCode() { return exitCode; }
    public boolean timedOut() { return timedOut; }
    public String stderrTail() { return stderrTail; }
}
