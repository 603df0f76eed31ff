package io.deksdenflow.orchestrator.forge;

/** A forge's REST API could not be reached or answered with an error; the message says which and why. */
public class ForgeException extends Exception {
    private final int status;

    public ForgeException(String message) {
        this(message, 0);
    }

    public ForgeException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the forge answered, 0 when it could not be reached. */
    public int status() {
        return status;
    }
}
