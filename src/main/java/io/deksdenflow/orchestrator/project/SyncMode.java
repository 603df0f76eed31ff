package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.Locale;

/**
 * sync, a project's setting: how its protocols' branches take in a moved base branch — {@code merge} (a merge commit;
 * the default), {@code rebase} (rebased, pushed with a lease on the head it replaces) or {@code off} (never; the PR
 * opens as it is).
 */
public final class SyncMode {
    public static final String MERGE = "merge";
    public static final String REBASE = "rebase";
    public static final String OFF = "off";

    private SyncMode() {}

    /** The value as given (trimmed, lower case), null when absent; anything else is a 422 on {@code field}. */
    public static String require(String field, String raw) {
        if (raw == null || raw.isBlank()) return null;
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (!v.equals(MERGE) && !v.equals(REBASE) && !v.equals(OFF)) {
            throw new ValidationException(field, field + " must be \"merge\", \"rebase\" or \"off\"");
        }
        return v;
    }

    /** The value in effect: the project's own, else merge. */
    public static String effective(String value) {
        return value == null ? MERGE : value;
    }
}
