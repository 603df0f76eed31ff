package io.deksdenflow.orchestrator.common;

import java.util.Map;

/** A duplicate name or a state that forbids the request: 409. */
public class ConflictException extends RuntimeException implements NonRetryable {
    private final Map<String, Object> details;

    public ConflictException(String message) { this(message, Map.of()); }

    public ConflictException(String message, Map<String, Object> details) {
        super(message);
        this.details = details;
    }

    public Map<String, Object> details() { return details; }
}
