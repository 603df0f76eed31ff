package io.deksdenflow.orchestrator.forge;

import java.util.Locale;
import java.util.Set;

/** Provider status / conclusion words mapped onto {@link CiStatus#STATUSES}. */
public final class CiStates {

    private static final Set<String> SUCCESS = Set.of("success", "neutral", "passed");
    private static final Set<String> FAILURE = Set.of("failure", "timed_out", "error", "failed", "startup_failure");
    private static final Set<String> CANCELLED = Set.of("cancelled", "canceled");
    private static final Set<String> SKIPPED = Set.of("skipped", "stale");

    private CiStates() {
    }

    /**
     * success|neutral|passed → success; failure|timed_out|error|failed|startup_failure → failure;
     * cancelled|canceled → cancelled; skipped|stale → skipped; action_required → action_required (the
     * last three record an event and move nothing: a forge cancels superseded runs itself); anything
     * else that is present (queued, in_progress, requested, waiting, pending, running, created,
     * canceling, manual, completed without conclusion, ...) → running. Null or blank → null.
     */
    public static String map(String word) {
        if (word == null || word.isBlank()) {
            return null;
        }
        String w = word.trim().toLowerCase(Locale.ROOT);
        if (SUCCESS.contains(w)) {
            return CiStatus.SUCCESS;
        }
        if (FAILURE.contains(w)) {
            return CiStatus.FAILURE;
        }
        if (CANCELLED.contains(w)) {
            return CiStatus.CANCELLED;
        }
        if (SKIPPED.contains(w)) {
            return CiStatus.SKIPPED;
        }
        if ("action_required".equals(w)) {
            return CiStatus.ACTION_REQUIRED;
        }
        return CiStatus.RUNNING;
    }

    /** The conclusion decides when present, otherwise the status; both absent → running. */
    public static String map(String status, String conclusion) {
        String byConclusion = map(conclusion);
        if (byConclusion != null) {
            return byConclusion;
        }
        String byStatus = map(status);
        return byStatus == null ? CiStatus.RUNNING : byStatus;
    }
}
