package io.deksdenflow.orchestrator.forge;

/** A forge's REST API could not be reached or answered with an error; the message says which and why. */
public class ForgeException extends Exception {
    /** Not the forge's answer: the project lacks what a call needs (its token, an API base); no retry helps. */
    public static final int MISCONFIGURED = -1;
    private final int status;

    public ForgeException(String message) {
        this(message, 0);
    }

    public static ForgeException misconfigured(String message) {
        return new ForgeException(message, MISCONFIGURED);
    }

    public ForgeException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the forge answered, 0 when it could not be reached, {@link #MISCONFIGURED}. */
    public int status() {
        return status;
    }
}
