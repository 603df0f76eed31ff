package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.common.NonRetryable;
import io.deksdenflow.orchestrator.common.RetryAfter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A job type's retry policy, declared by its {@link JobHandler} and applied by {@link JobPerformer}: at most
 * {@code maxAttempts} attempts (the first included); attempt n that fails waits
 * {@code baseSeconds * 2^(n-1)} seconds, capped at {@code maxSeconds}, in the queue's delayed set (never in
 * the worker). A failure never retries when a {@link NonRetryable} or one of {@code neverRetry} is anywhere in
 * its cause chain. A {@link RetryAfter} failure waits at least what it asked for (at most {@code maxSeconds}). A usage limit is not a failure of this policy: it parks the job ({@link UsageLimitWait}).
 *
 * <p>{@link #defaults} comes from DEKSDENFLOW_JOB_MAX_ATTEMPTS, DEKSDENFLOW_JOB_BACKOFF_SECONDS and
 * DEKSDENFLOW_JOB_BACKOFF_MAX_SECONDS; a handler derives its own from it ({@link #withAttempts},
 * {@link #withBackoff}, {@link #neverRetrying}), so one set of settings still scales every type.
 */
public record RetryPolicy(int maxAttempts, int baseSeconds, int maxSeconds,
                          List<Class<? extends Throwable>> neverRetry) {

    public RetryPolicy {
        maxAttempts = Math.max(1, maxAttempts);
        baseSeconds = Math.max(0, baseSeconds);
        maxSeconds = Math.max(0, maxSeconds);
        neverRetry = List.copyOf(neverRetry);
    }

    /** The global policy: the settings' attempts and backoff, only {@link NonRetryable} failures final. */
    public static RetryPolicy defaults(int maxAttempts, int baseSeconds, int maxSeconds) {
        return new RetryPolicy(maxAttempts, baseSeconds, maxSeconds, List.of());
    }

    public RetryPolicy withAttempts(int attempts) {
        return new RetryPolicy(attempts, baseSeconds, maxSeconds, neverRetry);
    }

    public RetryPolicy withBackoff(int base, int max) {
        return new RetryPolicy(maxAttempts, base, max, neverRetry);
    }

    /** The same policy, and failures of these classes (anywhere in the cause chain) are final too. */
    @SafeVarargs
    public final RetryPolicy neverRetrying(Class<? extends Throwable>... classes) {
        List<Class<? extends Throwable>> all = new ArrayList<>(neverRetry);
        all.addAll(List.of(classes));
        return new RetryPolicy(maxAttempts, baseSeconds, maxSeconds, all);
    }

    /** @return the delay before attempt + 1, or null when this failure of {@code attempt} is final. */
    public Duration retryDelay(int attempt, Throwable error) {
        if (!retries(error) || attempt >= maxAttempts) return null;
        Duration backoff = backoff(attempt);
        Duration asked = retryAfter(error);
        if (asked == null || asked.compareTo(backoff) <= 0) return backoff;
        // the other side's Retry-After, capped by the policy: a hostile header cannot park the job for a year
        Duration cap = Duration.ofSeconds(Math.max(maxSeconds, backoff.toSeconds()));
        return asked.compareTo(cap) > 0 ? cap : asked;
    }

    /** The wait a {@link RetryAfter} failure in the cause chain asked for, or null. */
    static Duration retryAfter(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetryAfter r && r.retryAfter() != null && !r.retryAfter().isNegative()) return r.retryAfter();
        }
        return null;
    }

    /** Whether a failure of this class is worth another attempt at all. */
    public boolean retries(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NonRetryable) return false;
            for (Class<? extends Throwable> c : neverRetry) {
                if (c.isInstance(t)) return false;
            }
        }
        return true;
    }

    public Duration backoff(int attempt) {
        int exponent = Math.min(Math.max(attempt, 1) - 1, 30);
        long seconds = Math.min((long) baseSeconds << exponent, maxSeconds);
        return Duration.ofSeconds(seconds);
    }
}
