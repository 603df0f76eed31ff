package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.worker.RetryPolicy;

/**
 * The job types' retry policies, each derived from the global one (DEKSDENFLOW_JOB_MAX_ATTEMPTS,
 * DEKSDENFLOW_JOB_BACKOFF_SECONDS, DEKSDENFLOW_JOB_BACKOFF_MAX_SECONDS), so that those settings still scale
 * every type (docs/queue.md, "Retry policies per job type"). In all of them a missing row
 * ({@link NotFoundException}) is final: no retry brings back the protocol, step or project a job names.
 */
final class JobRetries {
    /** Forge calls: five times the global backoff, so that a forge outage of minutes is ridden out. */
    static final int FORGE_BACKOFF_FACTOR = 5;
    /** Forge calls: this many attempts more than the global. */
    static final int FORGE_EXTRA_ATTEMPTS = 2;
    /** Agent runs: at most this many attempts (one retry), whatever the global allows. */
    static final int AGENT_MAX_ATTEMPTS = 2;

    private JobRetries() {}

    /** Git only (clone, fetch): the global policy. */
    static RetryPolicy git(RetryPolicy defaults) {
        return defaults.neverRetrying(NotFoundException.class);
    }

    /**
     * A run of an agent (planning, exec, QA, CI fix): each attempt spends tokens, so one retry at most (a crashed
     * or timed-out agent, a model 5xx); a usage limit parks without spending an attempt and a permanent engine
     * error fails at once, as for every type.
     */
    static RetryPolicy agentRun(RetryPolicy defaults) {
        return defaults.withAttempts(Math.min(defaults.maxAttempts(), AGENT_MAX_ATTEMPTS))
                .neverRetrying(NotFoundException.class);
    }

    /**
     * Forge API calls (open the PR/MR, fetch a CI failure): idempotent and free, and a forge's 5xx, secondary
     * rate limit or network error often lasts minutes: more attempts, further apart. A 4xx other than 429 is a
     * {@code JobFailure} and fails at once.
     */
    static RetryPolicy forgeCall(RetryPolicy defaults) {
        return defaults.withAttempts(defaults.maxAttempts() + FORGE_EXTRA_ATTEMPTS)
                .withBackoff(times(defaults.baseSeconds()), times(defaults.maxSeconds()))
                .neverRetrying(NotFoundException.class);
    }

    private static int times(int seconds) {
        return (int) Math.min(Integer.MAX_VALUE, (long) seconds * FORGE_BACKOFF_FACTOR);
    }
}
