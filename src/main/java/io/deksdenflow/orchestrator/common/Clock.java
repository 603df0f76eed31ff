package io.deksdenflow.orchestrator.common;

import java.time.Instant;

/** Epoch milliseconds, the storage format of every timestamp; rendered as ISO-8601 UTC. */
public final class Clock {
    private Clock() {}

    public static long now() { return System.currentTimeMillis(); }

    public static String iso(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
