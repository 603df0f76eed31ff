package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.NonRetryable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict budget refused an engine call. Never retried: the job's final failure blocks the step and
 * the protocol once, with the {@code budget_exceeded} event carrying {@link #metadata()}.
 */
class BudgetExceededException extends RuntimeException implements NonRetryable {
    private final Map<String, Object> metadata;

    BudgetExceededException(String reason, Map<String, Object> metadata) {
        super(reason);
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    Map<String, Object> metadata() {
        return metadata;
    }
}
