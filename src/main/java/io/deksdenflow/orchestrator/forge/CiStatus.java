package io.deksdenflow.orchestrator.forge;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The normalized CI status that {@code direct:ci-status} takes as one JSON object, whatever the
 * provider: GitHub and GitLab payloads are translated into it, YAML routes (Jenkins, ...) build it.
 *
 * <pre>
 * {"protocol_run_id"?: 3, "branch"?: "0001-add-login", "status": "success|failure|running|cancelled|skipped|action_required",
 *  "provider": "github", "url"?, "check_name"?, "summary"?, "head_sha"?, "repository"?,
 *  "repository_urls"?: [...], "conclusion"?, "event_kind"?, "title"?, "pr_state"?: "merged|closed|opened|updated",
 *  "branches"?: [...], "run_id"?, "merge_request_iid"?}
 * </pre>
 *
 * A translator produces it in {@code forge/<provider>}; the webhook package maps it onto runs.
 * Property names are explicit so that any ObjectMapper (snake_case or not) reads and writes the
 * same JSON. Check an instance with {@link #validated(CiStatus)} before acting on it.
 *
 * @param protocolRunId  explicit run id (e.g. the webhook's {@code ?protocol_run_id=}); wins over branch
 * @param branch         branch or ref; matched through {@link BranchRefs#candidates(String)}
 * @param status         {@code success | failure | running | cancelled | skipped | action_required}; may be
 *                       null only when {@code prState} is set
 * @param provider       {@code github | gitlab | jenkins | ...}
 * @param url            link to the pipeline / check / PR
 * @param checkName      workflow name, check name, status context, job or pipeline name
 * @param summary        free text (check output summary, status description)
 * @param headSha        commit the status is about
 * @param repository     repository full name ({@code owner/name}, GitLab {@code path_with_namespace})
 * @param repositoryUrls clone / web URLs of the repository, matched against the project's git URL by the webhook package
 * @param conclusion     the provider's raw status or conclusion word, kept for events
 * @param eventKind      {@code workflow_run | check_suite | check_run | status | pull_request | pipeline | job | merge_request | ...}
 * @param title          check output title, workflow display title, PR/MR title
 * @param prState        for PR/MR events: {@code merged | closed | opened | updated}
 * @param branches       further branches the status may be about (GitHub {@code status} lists every branch
 *                       containing the commit, in no order): the status maps if any of them (or {@code branch}) does
 * @param runId          the forge's id of what reported: workflow run, check suite or check run (GitHub),
 *                       pipeline or job (GitLab), as {@code eventKind} says; used to fetch the failure's details
 * @param mergeRequestIid a GitLab merge request iid from a {@code refs/merge-requests/<iid>/head} ref
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CiStatus(
        @JsonProperty("protocol_run_id") Long protocolRunId,
        @JsonProperty("branch") String branch,
        @JsonProperty("status") String status,
        @JsonProperty("provider") String provider,
        @JsonProperty("url") String url,
        @JsonProperty("check_name") String checkName,
        @JsonProperty("summary") String summary,
        @JsonProperty("head_sha") String headSha,
        @JsonProperty("repository") String repository,
        @JsonProperty("repository_urls") List<String> repositoryUrls,
        @JsonProperty("conclusion") String conclusion,
        @JsonProperty("event_kind") String eventKind,
        @JsonProperty("title") String title,
        @JsonProperty("pr_state") String prState,
        @JsonProperty("branches") List<String> branches,
        @JsonProperty("run_id") String runId,
        @JsonProperty("merge_request_iid") Long mergeRequestIid) {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String RUNNING = "running";
    /** The forge cancelled the run (often itself: a newer push superseded it); changes nothing. */
    public static final String CANCELLED = "cancelled";
    /** Skipped or stale: nothing ran; changes nothing. */
    public static final String SKIPPED = "skipped";
    /** The run waits for someone's approval and has not run; changes nothing. */
    public static final String ACTION_REQUIRED = "action_required";
    public static final Set<String> STATUSES = Set.of(SUCCESS, FAILURE, RUNNING, CANCELLED, SKIPPED, ACTION_REQUIRED);

    public static final String PR_MERGED = "merged";
    public static final String PR_CLOSED = "closed";
    public static final String PR_OPENED = "opened";
    /** New commits on the PR/MR's branch (GitHub {@code synchronize}, GitLab {@code update} with a new commit). */
    public static final String PR_UPDATED = "updated";
    public static final Set<String> PR_STATES = Set.of(PR_MERGED, PR_CLOSED, PR_OPENED, PR_UPDATED);

    public CiStatus {
        repositoryUrls = repositoryUrls == null ? List.of() : List.copyOf(repositoryUrls.stream()
                .filter(u -> u != null && !u.isBlank()).toList());
        branches = branches == null ? List.of() : List.copyOf(branches.stream()
                .filter(b -> b != null && !b.isBlank()).map(String::trim).distinct().toList());
    }

    /** A minimal status for a branch (YAML routes, tests). */
    public static CiStatus of(String provider, String branch, String status) {
        return new CiStatus(null, branch, status, provider, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    /**
     * This status checked and normalized (status and pr_state trimmed and lower-cased).
     *
     * @throws ValidationException field {@code status} when status is missing or not
     *         success|failure|running and no valid pr_state is set; field {@code pr_state} when it is
     *         not merged|closed|opened; field {@code protocol_run_id} when it is not positive or
     *         neither it nor a branch is given
     */
    public static CiStatus validated(CiStatus s) {
        if (s == null) {
            throw new ValidationException("status", "a CI status object is required");
        }
        String pr = lower(s.prState());
        if (pr != null && !PR_STATES.contains(pr)) {
            throw new ValidationException("pr_state", "pr_state must be one of merged, closed, opened, updated");
        }
        String st = lower(s.status());
        if (st == null && pr == null) {
            throw new ValidationException("status", "status is required (success, failure or running)");
        }
        if (st != null && !STATUSES.contains(st)) {
            throw new ValidationException("status",
                    "status must be one of success, failure, running, cancelled, skipped, action_required");
        }
        if (s.mergeRequestIid() != null && s.mergeRequestIid() <= 0) {
            throw new ValidationException("merge_request_iid", "merge_request_iid must be a positive integer");
        }
        if (s.protocolRunId() != null && s.protocolRunId() <= 0) {
            throw new ValidationException("protocol_run_id", "protocol_run_id must be a positive integer");
        }
        String br = s.branch() == null || s.branch().isBlank() ? null : s.branch().trim();
        if (br == null && !s.branches().isEmpty()) {
            br = s.branches().get(0);
        }
        String sha = s.headSha() == null || s.headSha().isBlank() ? null : s.headSha().trim();
        if (s.protocolRunId() == null && br == null && s.mergeRequestIid() == null && sha == null) {
            // a commit status without branches (Gitea, Forgejo) maps through the commit a step pushed
            throw new ValidationException("protocol_run_id", "protocol_run_id, branch or head_sha is required");
        }
        return new CiStatus(s.protocolRunId(), br, st, lower(s.provider()), s.url(), s.checkName(),
                s.summary(), s.headSha(), s.repository(), s.repositoryUrls(), s.conclusion(),
                s.eventKind(), s.title(), pr, s.branches(), s.runId(), s.mergeRequestIid());
    }

    /** The same status aimed at an explicit run (a {@code ?protocol_run_id=} query parameter). */
    public CiStatus withProtocolRunId(Long id) {
        return new CiStatus(id, branch, status, provider, url, checkName, summary, headSha, repository,
                repositoryUrls, conclusion, eventKind, title, prState, branches, runId, mergeRequestIid);
    }

    /**
     * The same status with {@code branch} the one of its branches that stands for the protocol
     * {@code protocolName} (GitHub's {@code status} event lists every branch containing the commit, in
     * no order, and the first becomes {@code branch}); unchanged when {@code branch} already does or
     * none does.
     */
    public CiStatus onBranchOf(String protocolName) {
        if (protocolName == null || (branch != null && BranchRefs.candidates(branch).contains(protocolName))) return this;
        for (String b : branches) {
            if (BranchRefs.candidates(b).contains(protocolName)) {
                return new CiStatus(protocolRunId, b, status, provider, url, checkName, summary, headSha, repository,
                        repositoryUrls, conclusion, eventKind, title, prState, branches, runId, mergeRequestIid);
            }
        }
        return this;
    }

    /** Protocol names this status's branch, or any of its further branches, may stand for. */
    @JsonIgnore
    public List<String> branchCandidates() {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(BranchRefs.candidates(branch));
        branches.forEach(b -> out.addAll(BranchRefs.candidates(b)));
        return List.copyOf(out);
    }

    /** Every branch this status names, for messages. */
    @JsonIgnore
    public String branchesText() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
        if (branch != null) all.add(branch);
        all.addAll(branches);
        return String.join("', '", all);
    }

    @JsonIgnore
    public boolean isSuccess() { return SUCCESS.equals(status); }

    @JsonIgnore
    public boolean isFailure() { return FAILURE.equals(status); }

    @JsonIgnore
    public boolean isMerged() { return PR_MERGED.equals(prState); }

    /** A result that did not run to a verdict: cancelled, skipped/stale or waiting for approval. */
    @JsonIgnore
    public boolean isInconclusive() {
        return CANCELLED.equals(status) || SKIPPED.equals(status) || ACTION_REQUIRED.equals(status);
    }

    private static String lower(String v) {
        return v == null || v.isBlank() ? null : v.trim().toLowerCase(Locale.ROOT);
    }
}
