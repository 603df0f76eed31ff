package io.deksdenflow.orchestrator.common;

/** An id or route that does not exist: 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String what, Object id) {
        super(what + " " + id + " not found");
    }
}
