package io.deksdenflow.orchestrator.config;

import java.time.Duration;

/** The start-up checks of the settings records: each message names the environment variable. */
public final class SettingsChecks {
    private SettingsChecks() {}

    public static void atLeast(String variable, long value, long min) {
        if (value < min) throw new IllegalArgumentException(variable + " must be at least " + min + ", not " + value);
    }

    public static void atLeast(String variable, double value, double min) {
        if (value < min || Double.isNaN(value)) {
            throw new IllegalArgumentException(variable + " must be at least " + min + ", not " + value);
        }
    }

    public static void between(String variable, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(variable + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    public static void positive(String variable, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(variable + " must be a positive duration (seconds, or e.g. 2h), not " + value);
        }
    }

    public static String orEmpty(String value) { return value == null ? "" : value; }
}
