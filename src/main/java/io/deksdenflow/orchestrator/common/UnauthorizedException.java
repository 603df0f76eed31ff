package io.deksdenflow.orchestrator.common;

/** Missing or wrong bearer / project token: 401. */
public class UnauthorizedException extends RuntimeException {
    public UnauthorizedException(String message) { super(message); }
}
