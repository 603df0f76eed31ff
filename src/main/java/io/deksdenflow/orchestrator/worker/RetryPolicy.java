package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.NonRetryable;
import io.deksdenflow.orchestrator.common.Parkable;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a failed attempt waits. A {@link NonRetryable} failure (anywhere in the cause chain) or the last
 * attempt does not retry; otherwise the next attempt comes after {@code base * 2^(attempt-1)} seconds, capped
 * at {@code max}. A usage limit ({@link Parkable}) waits until its reset, see {@link #parkUntil}.
 */
final class RetryPolicy {
    private final int baseSeconds;
    private final int maxSeconds;
    private final Duration limitBackoff;
    private final Duration limitMaxWait;

    RetryPolicy(int baseSeconds, int maxSeconds) {
        this(baseSeconds, maxSeconds, Duration.ofMinutes(5), Duration.ofHours(6));
    }

    /**
     * @param limitBackoff how long a usage limit without a reset time waits
     * @param limitMaxWait the longest any usage limit waits, whatever reset time it names
     */
    RetryPolicy(int baseSeconds, int maxSeconds, Duration limitBackoff, Duration limitMaxWait) {
        this.baseSeconds = Math.max(0, baseSeconds);
        this.maxSeconds = Math.max(0, maxSeconds);
        this.limitBackoff = limitBackoff;
        this.limitMaxWait = limitMaxWait;
    }

    /** @return the delay before the next attempt, or null when this failure is final. */
    Duration retryDelay(int attempt, int maxAttempts, Throwable error) {
        if (isNonRetryable(error) || attempt >= maxAttempts) return null;
        return backoff(attempt);
    }

    Duration backoff(int attempt) {
        int exponent = Math.min(Math.max(attempt, 1) - 1, 30);
        long seconds = Math.min((long) baseSeconds << exponent, maxSeconds);
        return Duration.ofSeconds(seconds);
    }

    /** The limit's reset time when it is known and not past (at most the maximum wait), else the usage-limit backoff. */
    Instant parkUntil(Parkable limit, Instant now) {
        Instant latest = now.plus(limitMaxWait);
        Instant at = limit.retryAt() != null && limit.retryAt().isAfter(now) ? limit.retryAt() : now.plus(limitBackoff);
        return at.isAfter(latest) ? latest : at;
    }

    static boolean isNonRetryable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NonRetryable) return true;
        }
        return false;
    }
}
