package io.deksdenflow.orchestrator.webhook;

import java.util.Locale;
import java.util.Set;

/** Provider status / conclusion words mapped onto {@link CiStatus#STATUSES}. */
final class CiStates {

    private static final Set<String> SUCCESS = Set.of("success", "neutral", "passed");
    private static final Set<String> FAILURE = Set.of("failure", "timed_out", "cancelled", "canceled",
            "action_required", "error", "failed", "startup_failure");

    private CiStates() {
    }

    /**
     * success|neutral|passed → success; failure|timed_out|cancelled|canceled|action_required|error|
     * failed|startup_failure → failure; anything else that is present (queued, in_progress, requested,
     * waiting, pending, running, created, completed without conclusion, skipped, stale, manual, ...) →
     * running, which records an event and moves nothing. Null or blank → null.
     */
    static String map(String word) {
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
        return CiStatus.RUNNING;
    }

    /** The conclusion decides when present, otherwise the status; both absent → running. */
    static String map(String status, String conclusion) {
        String byConclusion = map(conclusion);
        if (byConclusion != null) {
            return byConclusion;
        }
        String byStatus = map(status);
        return byStatus == null ? CiStatus.RUNNING : byStatus;
    }
}
