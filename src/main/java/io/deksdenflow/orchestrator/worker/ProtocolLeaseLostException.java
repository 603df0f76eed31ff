package io.deksdenflow.orchestrator.worker;

/** A push refused because the job's worker no longer holds its protocol's lease: retried, nothing recorded. */
public class ProtocolLeaseLostException extends RuntimeException {
    public ProtocolLeaseLostException(String message) {
        super(message);
    }
}
