package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.common.NonRetryable;

/** The model API refused the request itself (400/401/403/404, unknown model): retrying cannot help. */
class PermanentEngineException extends EngineException implements NonRetryable {
    PermanentEngineException(String engine, int exitCode, String detail, String stderrTail) {
        super(engine, exitCode, false, detail, stderrTail, ErrorClass.PERMANENT, null);
    }
}
