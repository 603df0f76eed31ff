package io.deksdenflow.orchestrator.webhook;

import static io.deksdenflow.orchestrator.webhook.Json.at;
import static io.deksdenflow.orchestrator.webhook.Json.bool;
import static io.deksdenflow.orchestrator.webhook.Json.firstNonNull;
import static io.deksdenflow.orchestrator.webhook.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * GitLab webhook payloads ({@code X-Gitlab-Event}) → {@link CiStatus}: {@code Pipeline Hook},
 * {@code Job Hook}, {@code Merge Request Hook} (the payload's {@code object_kind} is used when the
 * header is missing). Statuses: success → success; failed|canceled → failure (a failed job with
 * {@code allow_failure} → running); pending|running|created|preparing|waiting_for_resource|
 * scheduled|canceling and also skipped|manual → running, i.e. recorded as an event, moving nothing.
 * Merge requests: merge → merged, close → closed, open/reopen → opened, other actions → empty.
 * The result is not validated (see {@link CiStatus#validated}).
 */
public final class GitlabTranslator {

    public static final String PROVIDER = "gitlab";

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
        // Merge-request pipelines carry refs/merge-requests/<iid>/head; the MR names the branch.
        if (ref != null && ref.startsWith(MR_REF_PREFIX)) {
            ref = firstNonNull(text(p, "merge_request", "source_branch"), ref);
        }
        String url = text(attrs, "url");
        String webUrl = text(p, "project", "web_url");
        String id = text(attrs, "id");
        if (url == null && webUrl != null && id != null) {
            url = webUrl + "/-/pipelines/" + id;
        }
        String name = firstNonNull(text(attrs, "name"), "pipeline");
        return Optional.of(status(p, ref, CiStates.map(raw), url, name, text(attrs, "detailed_status"),
                text(attrs, "sha"), raw, "pipeline", null, null));
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
        return Optional.of(status(p, text(p, "ref"), state, url, text(p, "build_name"),
                text(p, "build_failure_reason"), firstNonNull(text(p, "sha"), text(p, "checkout_sha")),
                raw, "job", text(p, "build_stage"), null));
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
        } else {
            return Optional.empty();
        }
        return Optional.of(status(p, text(attrs, "source_branch"), null, text(attrs, "url"), null, null,
                text(attrs, "last_commit", "id"), firstNonNull(action, state), "merge_request",
                text(attrs, "title"), prState));
    }

    private static CiStatus status(JsonNode p, String branch, String status, String url, String checkName,
            String summary, String sha, String conclusion, String kind, String title, String prState) {
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
        return new CiStatus(null, branch, status, PROVIDER, url, checkName, summary, sha,
                text(project, "path_with_namespace"), urls, conclusion, kind, title, prState);
    }
}
