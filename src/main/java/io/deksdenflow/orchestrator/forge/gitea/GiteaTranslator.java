package io.deksdenflow.orchestrator.forge.gitea;

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
 * Gitea and Forgejo webhook payloads ({@code X-Gitea-Event} / {@code X-Forgejo-Event}) → {@link CiStatus}
 * (shapes: Gitea's {@code modules/structs/hook.go}, the same in Forgejo). {@code status} — a commit status,
 * which is how Gitea/Forgejo Actions and external CI report: success → success, failure|error → failure,
 * warning → success (Gitea does not fail a commit on it), pending → running; its payload names no branch, so
 * it maps through the commit ({@code head_sha}) a step pushed. {@code pull_request}: closed → merged or
 * closed, opened|reopened → opened, synchronized → updated, other actions → empty. {@code push} and other
 * events → empty (nothing in the CI loop moves on a push; a change request's new commits arrive as
 * {@code synchronized}).
 */
public final class GiteaTranslator {

    private GiteaTranslator() {
    }

    /**
     * {@code push} of a branch → {@link BaseEvent.Kind#PUSH}; {@code pull_request} of an open PR with
     * {@code mergeable: false} (Gitea's conflict check failed) → {@link BaseEvent.Kind#CONFLICT}.
     */
    public static Optional<BaseEvent> baseEvent(String event, JsonNode p) {
        if (event == null || p == null || !p.isObject()) return Optional.empty();
        String kind = event.trim().toLowerCase(Locale.ROOT);
        if (kind.equals("push")) return BaseEvent.githubShapedPush(GiteaForge.ID, p);
        JsonNode pr = at(p, "pull_request");
        JsonNode mergeable = pr == null ? null : pr.get("mergeable");
        if (!kind.equals("pull_request") || !"open".equals(text(pr, "state")) || mergeable == null
                || !mergeable.isBoolean() || mergeable.asBoolean()) {
            return Optional.empty();
        }
        JsonNode repo = at(p, "repository");
        String number = text(pr, "number");
        return Optional.of(new BaseEvent(GiteaForge.ID, BaseEvent.Kind.CONFLICT, text(pr, "head", "ref"), text(pr, "head", "sha"),
                number == null ? null : Long.parseLong(number), text(repo, "full_name"),
                BaseEvent.urls(repo, "clone_url", "ssh_url", "html_url")));
    }

    public static Optional<CiStatus> translate(String event, JsonNode payload) {
        if (event == null || payload == null || !payload.isObject()) {
            return Optional.empty();
        }
        return switch (event.trim().toLowerCase(Locale.ROOT)) {
            case "status" -> status(payload);
            case "pull_request" -> pullRequest(payload);
            default -> Optional.empty();
        };
    }

    private static Optional<CiStatus> status(JsonNode p) {
        String state = text(p, "state");
        String sha = text(p, "sha");
        if (state == null || sha == null) {
            return Optional.empty();
        }
        String mapped = "warning".equalsIgnoreCase(state) ? CiStatus.SUCCESS : CiStates.map(state);
        return Optional.of(status(p, null, mapped, firstNonNull(text(p, "target_url"), text(p, "commit", "url")),
                text(p, "context"), text(p, "description"), sha, state, "status", null, null, text(p, "id")));
    }

    private static Optional<CiStatus> pullRequest(JsonNode p) {
        JsonNode pr = at(p, "pull_request");
        String action = text(p, "action");
        if (pr == null || action == null) {
            return Optional.empty();
        }
        String prState;
        switch (action) {
            case "closed" -> prState = bool(pr, "merged") || text(pr, "merged_at") != null
                    ? CiStatus.PR_MERGED : CiStatus.PR_CLOSED;
            case "opened", "reopened" -> prState = CiStatus.PR_OPENED;
            case "synchronized" -> prState = CiStatus.PR_UPDATED;
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(status(p, text(pr, "head", "ref"), null, text(pr, "html_url"), null, null,
                text(pr, "head", "sha"), action, "pull_request", text(pr, "title"), prState,
                firstNonNull(text(pr, "number"), text(p, "number"))));
    }

    private static CiStatus status(JsonNode p, String branch, String status, String url, String checkName,
            String summary, String sha, String conclusion, String kind, String title, String prState, String runId) {
        JsonNode repo = at(p, "repository");
        List<String> urls = new ArrayList<>();
        for (String field : List.of("clone_url", "ssh_url", "html_url")) {
            String u = text(repo, field);
            if (u != null) {
                urls.add(u);
            }
        }
        return new CiStatus(null, branch, status, GiteaForge.ID, url, checkName, summary, sha,
                text(repo, "full_name"), urls, conclusion, kind, title, prState, List.of(), runId, null);
    }
}
