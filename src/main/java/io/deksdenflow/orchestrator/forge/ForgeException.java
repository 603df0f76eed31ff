package io.deksdenflow.orchestrator.forge;

import java.time.Instant;

/** A forge's REST API could not be reached or answered with an error; the message says which and why. */
public class ForgeException extends Exception {
    /** Not the forge's answer: the project lacks what a call needs (its token, an API base); no retry helps. */
    public static final int MISCONFIGURED = -1;
    private final int status;
    private final Instant retryAt;

    public ForgeException(String message) {
        this(message, 0);
    }

    public static ForgeException misconfigured(String message) {
        return new ForgeException(message, MISCONFIGURED);
    }

    public ForgeException(String message, int status) {
        this(message, status, null);
    }

    /** A rate limit: {@code retryAt} is when the forge said to come back (its retry-after or reset header). */
    public ForgeException(String message, int status, Instant retryAt) {
        super(message);
        this.status = status;
        this.retryAt = retryAt;
    }

    /** When a rate-limited call may be made again; null when the answer was not a rate limit. */
    public Instant retryAt() {
        return retryAt;
    }

    /** The HTTP status the forge answered, 0 when it could not be reached, {@link #MISCONFIGURED}. */
    public int status() {
        return status;
    }
}
