package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.Parkable;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a job that hit a usage limit ({@link Parkable}) waits, without spending an attempt: until the
 * limit's reset time when it is known and not past, else DEKSDENFLOW_USAGE_LIMIT_BACKOFF_SECONDS; never longer
 * than DEKSDENFLOW_USAGE_LIMIT_MAX_WAIT_SECONDS. The same for every job type.
 */
final class UsageLimitWait {
    private final Duration backoff;
    private final Duration maxWait;

    UsageLimitWait(Duration backoff, Duration maxWait) {
        this.backoff = backoff;
        this.maxWait = maxWait;
    }

    Instant parkUntil(Parkable limit, Instant now) {
        Instant latest = now.plus(maxWait);
        Instant at = limit.retryAt() != null && limit.retryAt().isAfter(now) ? limit.retryAt() : now.plus(backoff);
        return at.isAfter(latest) ? latest : at;
    }

    /** {@code at}, or now when it is past, never later than the longest wait. */
    Instant capped(Instant at, Instant now) {
        Instant latest = now.plus(maxWait);
        if (at == null || at.isBefore(now)) return now;
        return at.isAfter(latest) ? latest : at;
    }
}
