package io.deksdenflow.orchestrator.engine;

import java.time.Instant;

/**
 * The agent CLI failed (non-zero exit, reported error, or timeout). Its {@link ErrorClass} says what
 * a retry can do: {@link #of} returns a {@link PermanentEngineException} (not retried) or a
 * {@link UsageLimitException} (parked until the limit resets) where the class calls for it. The
 * message carries the tail of stderr.
 */
public class EngineException extends RuntimeException {
    private final String engine;
    private final int exitCode;
    private final boolean timedOut;
    private final String stderrTail;
    private final ErrorClass errorClass;
    private final Instant resetAt;

    public EngineException(String engine, int exitCode, boolean timedOut, String detail, String stderrTail) {
        this(engine, exitCode, timedOut, detail, stderrTail, ErrorClass.TRANSIENT, null);
    }

    protected EngineException(String engine, int exitCode, boolean timedOut, String detail, String stderrTail,
                              ErrorClass errorClass, Instant resetAt) {
        super(message(engine, exitCode, timedOut, detail, stderrTail));
        this.engine = engine;
        this.exitCode = exitCode;
        this.timedOut = timedOut;
        this.stderrTail = stderrTail == null ? "" : stderrTail;
        this.errorClass = errorClass;
        this.resetAt = resetAt;
    }

    /** The exception of the failure's class; a timeout is always transient. */
    public static EngineException of(String engine, int exitCode, boolean timedOut, String detail, String stderrTail,
                                     ErrorClassifier.Classified c) {
        if (timedOut || c == null || c.errorClass() == ErrorClass.TRANSIENT) {
            return new EngineException(engine, exitCode, timedOut, detail, stderrTail);
        }
        if (c.errorClass() == ErrorClass.PERMANENT) {
            return new PermanentEngineException(engine, exitCode, detail, stderrTail);
        }
        return new UsageLimitException(engine, exitCode, detail, stderrTail, c.resetAt());
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
    public ErrorClass errorClass() { return errorClass; }
    /** When a usage limit resets, if the CLI said; null otherwise. */
    public Instant resetAt() { return resetAt; }
}
