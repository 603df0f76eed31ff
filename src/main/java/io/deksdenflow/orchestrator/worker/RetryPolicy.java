package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.NonRetryable;
import java.time.Duration;

/**
 * Decides what a failed attempt leads to: a {@link NonRetryable} failure (anywhere in the cause
 * chain) or the last attempt → final failure; otherwise retry after
 * {@code base * 2^(attempt-1)} seconds, capped at {@code max}.
 */
public final class RetryPolicy {
    private final int baseSeconds;
    private final int maxSeconds;

    public RetryPolicy(int baseSeconds, int maxSeconds) {
        this.baseSeconds = Math.max(0, baseSeconds);
        this.maxSeconds = Math.max(0, maxSeconds);
    }

    /** @return the delay before the next attempt, or null when this failure is final. */
    public Duration retryDelay(int attempt, int maxAttempts, Throwable error) {
        if (isNonRetryable(error) || attempt >= maxAttempts) return null;
        return backoff(attempt);
    }

    public Duration backoff(int attempt) {
        int exponent = Math.min(Math.max(attempt, 1) - 1, 30);
        long seconds = Math.min((long) baseSeconds << exponent, maxSeconds);
        return Duration.ofSeconds(seconds);
    }

    public static boolean isNonRetryable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NonRetryable) return true;
        }
        return false;
    }
}
