package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.NonRetryable;

/** A strict token budget refused an engine call; the step and protocol are already blocked. */
public class BudgetExceededException extends RuntimeException implements NonRetryable {
    public BudgetExceededException(String message) {
        super(message);
    }
}
