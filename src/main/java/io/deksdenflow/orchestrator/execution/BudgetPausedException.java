package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.worker.JobCancelledException;

/**
 * A budget in {@code pause} mode refused an engine call; the protocol is already paused with its
 * {@code budget_exceeded} event. The job stops like a paused one (never retried, nothing failed):
 * {@code raise_budget} resumes the protocol where it stopped.
 */
class BudgetPausedException extends JobCancelledException {
    BudgetPausedException(String reason) {
        super("budget: " + reason);
    }
}
