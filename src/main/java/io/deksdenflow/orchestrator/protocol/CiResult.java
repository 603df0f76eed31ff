package io.deksdenflow.orchestrator.protocol;

import java.util.Map;

/**
 * A validated CI or PR/MR result about one protocol run, as the lifecycle needs it (the webhook
 * package translates forge deliveries into it).
 *
 * @param status      success, failure, running, cancelled, skipped or action_required (null for a PR/MR event)
 * @param prState     merged, closed, opened or updated; null for a CI result
 * @param description the provider and check name, as messages show them (e.g. {@code <provider> 'build'})
 * @param forgeToken  the project secret that lets the service read the forge's failure details (the
 *                    forge's token secret); null for providers that are no forge (a YAML route's)
 * @param changeRequestNoun the forge's word for a change request ("pull request", "merge request")
 * @param rerunnable  the forge can re-run the failed jobs of the result's run
 * @param metadata    what every event about this result carries
 */
public record CiResult(String status, String prState, String provider, String headSha, String runId, String conclusion,
                       String title, String description, String forgeToken, String changeRequestNoun, boolean rerunnable,
                       Map<String, Object> metadata) {
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String CANCELLED = "cancelled";
    public static final String SKIPPED = "skipped";
    public static final String ACTION_REQUIRED = "action_required";
    public static final String PR_MERGED = "merged";
    public static final String PR_CLOSED = "closed";
    public static final String PR_UPDATED = "updated";

    public CiResult {
        changeRequestNoun = changeRequestNoun == null ? "pull request" : changeRequestNoun;
        metadata = java.util.Collections.unmodifiableMap(metadata == null ? new java.util.LinkedHashMap<>()
                : new java.util.LinkedHashMap<>(metadata));
    }

    boolean isSuccess() { return SUCCESS.equals(status); }

    boolean isFailure() { return FAILURE.equals(status); }

    boolean isInconclusive() {
        return CANCELLED.equals(status) || SKIPPED.equals(status) || ACTION_REQUIRED.equals(status);
    }

    boolean isMerged() { return PR_MERGED.equals(prState); }

    /** What one CI result did to one run: the answer's {@code results[]} entry. */
    public record Applied(long protocolRunId, Long stepRunId, String action, String protocolStatus) {}
}
