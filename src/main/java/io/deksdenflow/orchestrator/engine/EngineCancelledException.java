package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.common.NonRetryable;

/** The job was cancelled while its agent ran; the process tree has been killed. Not retried. */
class EngineCancelledException extends RuntimeException implements NonRetryable {
    public EngineCancelledException(String engine) {
        super(engine + " run cancelled");
    }
}
