package io.deksdenflow.orchestrator.engine;

/**
 * What kind of failure an engine run ended in, read from the CLI's exit status and output:
 * {@code permanent} (the request itself is wrong: fails at once), {@code transient} (retried with
 * backoff) or {@code usage_limit} (waits for the limit to reset without spending an attempt).
 */
public enum ErrorClass {
    PERMANENT, TRANSIENT, USAGE_LIMIT;

    /** As stored and shown: "permanent", "transient", "usage_limit". */
    public String api() { return name().toLowerCase(); }
}
