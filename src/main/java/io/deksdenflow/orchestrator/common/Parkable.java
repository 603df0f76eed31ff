package io.deksdenflow.orchestrator.common;

import java.time.Instant;

/**
 * Marks a failure that says "not now" rather than "failed" (a usage limit): the job waits until
 * {@link #retryAt()} (or a capped backoff when that is null) without spending an attempt.
 */
public interface Parkable {
    /** When the limit resets, if the failure said so; null otherwise. */
    Instant retryAt();

    /** Who said "not now" (an engine name), for the event. */
    String source();
}
