package io.deksdenflow.orchestrator.common;

/**
 * Marks a failure that a retry cannot fix (validation, budget, illegal state, missing agent
 * binary): the job fails at once instead of being redelivered.
 */
public interface NonRetryable {
}
