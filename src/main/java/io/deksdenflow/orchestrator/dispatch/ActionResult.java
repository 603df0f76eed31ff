package io.deksdenflow.orchestrator.dispatch;

import io.deksdenflow.orchestrator.queue.Job;

/** What an accepted action did: a message, the entity after it, and the job it enqueued (if any). */
public record ActionResult<T>(String message, T entity, Job job) {
}
