package io.deksdenflow.orchestrator.common;

/** A compare-and-set lost against another writer; the caller reloads and decides again. */
public class ConcurrentUpdateException extends RuntimeException {
    public ConcurrentUpdateException(String what) {
        super(what + " was changed concurrently");
    }
}
