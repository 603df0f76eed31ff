package io.deksdenflow.orchestrator.git;

/** A git command failed for a reason a retry may fix (network, lock, remote). Message is redacted. */
class GitException extends RuntimeException {
    private final int exitCode;

    public GitException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() { return exitCode; }
}
