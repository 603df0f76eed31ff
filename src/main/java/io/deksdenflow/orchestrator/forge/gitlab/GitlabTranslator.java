package io.deksdenflow.orchestrator.forge.gitlab;

import static io.deksdenflow.orchestrator.forge.Json.at;
import static io.deksdenflow.orchestrator.forge.Json.bool;
import static io.deksdenflow.orchestrator.forge.Json.firstNonNull;
import static io.deksdenflow.orchestrator.forge.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.forge.BaseEvent;
import io.deksdenflow.orchestrator.forge.CiStates;
import io.deksdenflow.orchestrator.forge.CiStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * GitLab webhook payloads ({@code X-Gitlab-Event}) → {@link CiStatus}: {@code Pipeline Hook},
 * {@code Job Hook}, {@code Merge Request Hook} (the payload's {@code object_kind} is used when the
 * header is missing). Statuses: success → success; failed → failure (a failed job with
 * {@code allow_failure} → running); canceled → cancelled; skipped → skipped;
 * pending|running|created|preparing|waiting_for_resource|scheduled|canceling|manual → running, i.e.
 * recorded as an event, moving nothing. Pipelines and jobs of {@code refs/merge-requests/<iid>/head}
 * carry the MR's iid (and the branch when the payload has a {@code merge_request} block).
 * Merge requests: merge → merged, close → closed, open/reopen → opened, update with a new commit
 * ({@code oldrev}) → updated, other actions → empty.
 * The result is not validated (see {@link CiStatus#validated}).
 */
public final class GitlabTranslator {

    private static final String MR_REF_PREFIX = "refs/merge-requests/";

    private GitlabTranslator() {
    }

    public static Optional<CiStatus> translate(String eventHeader, JsonNode payload) {
        if (payload == null || !payload.isObject()) {
            return Optional.empty();
        }
        String kind = eventHeader == null || eventHeader.isBlank()
                ? kindFromObjectKind(text(payload, "object_kind"))
                : eventHeader.trim().toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "pipeline hook" -> pipeline(payload);
            case "job hook" -> job(payload);
            case "merge request hook" -> mergeRequest(payload);
            default -> Optional.empty();
        };
    }

    /**
     * {@code Push Hook} of a branch → {@link BaseEvent.Kind#PUSH}; {@code Merge Request Hook} of an opened MR that
     * GitLab says conflicts ({@code detailed_merge_status} {@code conflict} or {@code broken_status}, or, from
     * older GitLab without it, {@code merge_status: cannot_be_merged}) → {@link BaseEvent.Kind#CONFLICT}.
     */
    public static Optional<BaseEvent> baseEvent(String eventHeader, JsonNode p) {
        if (p == null || !p.isObject()) return Optional.empty();
        String kind = eventHeader == null || eventHeader.isBlank()
                ? ("push".equals(text(p, "object_kind")) ? "push hook" : kindFromObjectKind(text(p, "object_kind")))
                : eventHeader.trim().toLowerCase(Locale.ROOT);
        JsonNode project = at(p, "project");
        List<String> urls = BaseEvent.urls(project, "git_http_url", "git_ssh_url", "web_url");
        String path = text(project, "path_with_namespace");
        if (kind.equals("push hook")) return BaseEvent.push(GitlabForge.ID, text(p, "ref"), text(p, "after"), path, urls);
        JsonNode mr = at(p, "object_attributes");
        if (!kind.equals("merge request hook") || mr == null || !"opened".equals(text(mr, "state"))) return Optional.empty();
        String detailed = text(mr, "detailed_merge_status");
        boolean conflict = detailed != null ? detailed.equals("conflict") || detailed.equals("broken_status")
                : "cannot_be_merged".equals(text(mr, "merge_status"));
        if (!conflict) return Optional.empty();
        String iid = text(mr, "iid");
        return Optional.of(new BaseEvent(GitlabForge.ID, BaseEvent.Kind.CONFLICT, text(mr, "source_branch"),
                text(mr, "last_commit", "id"), iid == null ? null : Long.parseLong(iid), path, urls));
    }

    private static String kindFromObjectKind(String objectKind) {
        if (objectKind == null) {
            return "";
        }
        return switch (objectKind) {
            case "pipeline" -> "pipeline hook";
            case "build" -> "job hook";
            case "merge_request" -> "merge request hook";
            default -> "";
        };
    }

    private static Optional<CiStatus> pipeline(JsonNode p) {
        JsonNode attrs = at(p, "object_attributes");
        if (attrs == null) {
            return Optional.empty();
        }
        String raw = text(attrs, "status");
        String ref = text(attrs, "ref");
        Long iid = null;
        // Merge-request pipelines carry refs/merge-requests/<iid>/head; the MR names the branch when the
        // payload has its block, else the iid maps through the MR the service opened.
        if (ref != null && ref.startsWith(MR_REF_PREFIX)) {
            iid = mergeRequestIid(ref);
            ref = text(p, "merge_request", "source_branch");
        }
        String url = text(attrs, "url");
        String webUrl = text(p, "project", "web_url");
        String id = text(attrs, "id");
        if (url == null && webUrl != null && id != null) {
            url = webUrl + "/-/pipelines/" + id;
        }
        String name = firstNonNull(text(attrs, "name"), "pipeline");
        return Optional.of(status(p, ref, CiStates.map(raw), url, name, text(attrs, "detailed_status"),
                text(attrs, "sha"), raw, "pipeline", null, null, id, iid));
    }

    private static Optional<CiStatus> job(JsonNode p) {
        String raw = text(p, "build_status");
        if (raw == null) {
            return Optional.empty();
        }
        String state = CiStates.map(raw);
        if (CiStatus.FAILURE.equals(state) && bool(p, "build_allow_failure")) {
            state = CiStatus.RUNNING;
        }
        String base = firstNonNull(text(p, "project", "web_url"), text(p, "repository", "homepage"));
        String id = text(p, "build_id");
        String url = base != null && id != null ? base + "/-/jobs/" + id : null;
        String ref = text(p, "ref");
        Long iid = null;
        if (ref != null && ref.startsWith(MR_REF_PREFIX)) {
            // job hooks of merge-request pipelines have no merge_request block: only the MR's iid
            iid = mergeRequestIid(ref);
            ref = null;
        }
        return Optional.of(status(p, ref, state, url, text(p, "build_name"),
                "failed".equals(raw) ? text(p, "build_failure_reason") : null,
                firstNonNull(text(p, "sha"), text(p, "checkout_sha")),
                raw, "job", text(p, "build_stage"), null, id, iid));
    }

    private static Optional<CiStatus> mergeRequest(JsonNode p) {
        JsonNode attrs = at(p, "object_attributes");
        if (attrs == null) {
            return Optional.empty();
        }
        String action = text(attrs, "action");
        String state = text(attrs, "state");
        String prState;
        if ("merge".equals(action) || (action == null && "merged".equals(state))) {
            prState = CiStatus.PR_MERGED;
        } else if ("close".equals(action) || (action == null && "closed".equals(state))) {
            prState = CiStatus.PR_CLOSED;
        } else if ("open".equals(action) || "reopen".equals(action)) {
            prState = CiStatus.PR_OPENED;
        } else if ("update".equals(action) && text(attrs, "oldrev") != null) {
            // an update with oldrev is a push to the MR's branch: its head moved
            prState = CiStatus.PR_UPDATED;
        } else {
            return Optional.empty();
        }
        return Optional.of(status(p, text(attrs, "source_branch"), null, text(attrs, "url"), null, null,
                text(attrs, "last_commit", "id"), firstNonNull(action, state), "merge_request",
                text(attrs, "title"), prState, text(attrs, "iid"), null));
    }

    /** {@code refs/merge-requests/12/head} → 12; null when the ref has no numeric iid. */
    static Long mergeRequestIid(String ref) {
        String rest = ref.substring(MR_REF_PREFIX.length());
        int slash = rest.indexOf('/');
        String digits = slash < 0 ? rest : rest.substring(0, slash);
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        long iid = Long.parseLong(digits);
        return iid > 0 ? iid : null;
    }

    private static CiStatus status(JsonNode p, String branch, String status, String url, String checkName,
            String summary, String sha, String conclusion, String kind, String title, String prState,
            String runId, Long mergeRequestIid) {
        JsonNode project = at(p, "project");
        JsonNode repo = at(p, "repository");
        List<String> urls = new ArrayList<>();
        for (JsonNode node : new JsonNode[] {project, repo}) {
            for (String field : List.of("git_http_url", "git_ssh_url", "web_url", "homepage", "url")) {
                String u = text(node, field);
                if (u != null && !urls.contains(u)) {
                    urls.add(u);
                }
            }
        }
        return new CiStatus(null, branch, status, GitlabForge.ID, url, checkName, summary, sha,
                text(project, "path_with_namespace"), urls, conclusion, kind, title, prState, List.of(), runId,
                mergeRequestIid);
    }
}
