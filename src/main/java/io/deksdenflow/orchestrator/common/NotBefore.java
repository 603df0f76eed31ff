package io.deksdenflow.orchestrator.common;

import java.time.Instant;

/**
 * A job that says "not now, again at {@link #at()}": a debounce window that is still open, a forge's rate
 * limit with its reset time. The job waits in the queue's delayed set until then, without spending an
 * attempt and without an event; the wait is capped like a usage limit's (DEKSDENFLOW_USAGE_LIMIT_MAX_WAIT_SECONDS).
 */
public class NotBefore extends RuntimeException {
    private final Instant at;

    public NotBefore(Instant at, String why) {
        super(why);
        this.at = at;
    }

    public Instant at() {
        return at;
    }
}
