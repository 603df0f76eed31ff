package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.common.Parkable;
import java.time.Instant;

/** A usage or rate limit (429): the job waits for the reset without spending an attempt. */
class UsageLimitException extends EngineException implements Parkable {
    UsageLimitException(String engine, int exitCode, String detail, String stderrTail, Instant resetAt) {
        super(engine, exitCode, false, detail, stderrTail, ErrorClass.USAGE_LIMIT, resetAt);
    }

    @Override
    public Instant retryAt() { return resetAt(); }

    @Override
    public String source() { return engine(); }
}
