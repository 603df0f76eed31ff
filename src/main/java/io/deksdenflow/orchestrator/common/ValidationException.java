package io.deksdenflow.orchestrator.common;

/** Client input that fails a rule: 422 naming the field. Never retried when raised by a job. */
public class ValidationException extends RuntimeException implements NonRetryable {
    private final String field;

    public ValidationException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() { return field; }
}
