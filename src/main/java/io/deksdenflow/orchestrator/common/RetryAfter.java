package io.deksdenflow.orchestrator.common;

import java.time.Duration;

/**
 * Marks a retryable failure whose other side said when to come back (an HTTP {@code Retry-After}): the retry
 * waits at least that long, within its policy's cap, and spends an attempt as any retry does.
 */
public interface RetryAfter {
    /** The wait the other side asked for; null when it named none. */
    Duration retryAfter();
}
