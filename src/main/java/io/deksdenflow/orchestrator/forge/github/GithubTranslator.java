package io.deksdenflow.orchestrator.forge.github;

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
 * GitHub webhook payloads ({@code X-GitHub-Event}) → {@link CiStatus}. Handles {@code workflow_run},
 * {@code check_suite}, {@code check_run}, {@code status} and {@code pull_request}; {@code ping},
 * unknown events and pull-request actions other than opened/reopened/ready_for_review/closed give
 * an empty result. The result is not validated: a payload without a branch yields a status with a
 * null branch, which {@link CiStatus#validated} rejects unless a protocol_run_id was added.
 */
public final class GithubTranslator {

    private GithubTranslator() {
    }

    public static Optional<CiStatus> translate(String eventHeader, JsonNode payload) {
        if (eventHeader == null || payload == null || !payload.isObject()) {
            return Optional.empty();
        }
        return switch (eventHeader.trim().toLowerCase(Locale.ROOT)) {
            case "workflow_run" -> workflowRun(payload);
            case "check_suite" -> checkSuite(payload);
            case "check_run" -> checkRun(payload);
            case "status" -> status(payload);
            case "pull_request" -> pullRequest(payload);
            default -> Optional.empty();
        };
    }

    /**
     * {@code push} of a branch → {@link BaseEvent.Kind#PUSH}; {@code pull_request} of an open PR whose
     * {@code mergeable_state} is {@code dirty} (it conflicts with its base) → {@link BaseEvent.Kind#CONFLICT}.
     */
    public static Optional<BaseEvent> baseEvent(String eventHeader, JsonNode p) {
        if (eventHeader == null || p == null || !p.isObject()) return Optional.empty();
        String event = eventHeader.trim().toLowerCase(Locale.ROOT);
        if (event.equals("push")) return BaseEvent.githubShapedPush(GithubForge.ID, p);
        JsonNode pr = at(p, "pull_request");
        if (!event.equals("pull_request") || pr == null || !"open".equals(text(pr, "state"))
                || !"dirty".equals(text(pr, "mergeable_state"))) {
            return Optional.empty();
        }
        JsonNode repo = at(p, "repository");
        String number = text(pr, "number");
        return Optional.of(new BaseEvent(GithubForge.ID, BaseEvent.Kind.CONFLICT, text(pr, "head", "ref"), text(pr, "head", "sha"),
                number == null ? null : Long.parseLong(number), text(repo, "full_name"),
                BaseEvent.urls(repo, "clone_url", "ssh_url", "html_url", "git_url")));
    }

    private static Optional<CiStatus> workflowRun(JsonNode p) {
        JsonNode run = at(p, "workflow_run");
        if (run == null) {
            return Optional.empty();
        }
        String conclusion = text(run, "conclusion");
        String rawStatus = text(run, "status");
        String sha = text(run, "head_sha");
        return Optional.of(status(p, text(run, "head_branch"), CiStates.map(rawStatus, conclusion),
                firstNonNull(text(run, "html_url"), checksPage(p, sha)), text(run, "name"), null, sha,
                firstNonNull(conclusion, rawStatus), "workflow_run", text(run, "display_title"), null,
                List.of(), text(run, "id"), null));
    }

    private static Optional<CiStatus> checkSuite(JsonNode p) {
        JsonNode suite = at(p, "check_suite");
        if (suite == null) {
            return Optional.empty();
        }
        String conclusion = text(suite, "conclusion");
        String rawStatus = text(suite, "status");
        // a check suite has no page of its own: its `url` is the REST API's; link the commit's checks page
        String sha = text(suite, "head_sha");
        return Optional.of(status(p, text(suite, "head_branch"), CiStates.map(rawStatus, conclusion),
                checksPage(p, sha), text(suite, "app", "name"), null, sha,
                firstNonNull(conclusion, rawStatus), "check_suite", null, null, List.of(), text(suite, "id"), null));
    }

    private static Optional<CiStatus> checkRun(JsonNode p) {
        JsonNode run = at(p, "check_run");
        if (run == null) {
            return Optional.empty();
        }
        String conclusion = text(run, "conclusion");
        String rawStatus = text(run, "status");
        String sha = firstNonNull(text(run, "head_sha"), text(run, "check_suite", "head_sha"));
        return Optional.of(status(p, text(run, "check_suite", "head_branch"),
                CiStates.map(rawStatus, conclusion),
                firstNonNull(webPage(text(run, "html_url")), webPage(text(run, "details_url")), checksPage(p, sha)),
                text(run, "name"), text(run, "output", "summary"), sha,
                firstNonNull(conclusion, rawStatus), "check_run", text(run, "output", "title"), null,
                List.of(), text(run, "id"), null));
    }

    private static Optional<CiStatus> status(JsonNode p) {
        String state = text(p, "state");
        if (state == null) {
            return Optional.empty();
        }
        // GitHub lists up to 10 branches containing the commit, in no guaranteed order: any may be the protocol's
        List<String> names = new ArrayList<>();
        JsonNode branches = at(p, "branches");
        if (branches != null && branches.isArray()) {
            branches.forEach(b -> {
                String name = text(b, "name");
                if (name != null) {
                    names.add(name);
                }
            });
        }
        String sha = text(p, "sha");
        return Optional.of(status(p, names.isEmpty() ? null : names.get(0), CiStates.map(state),
                firstNonNull(webPage(text(p, "target_url")), checksPage(p, sha)),
                text(p, "context"), text(p, "description"), sha, state, "status", null, null, names,
                text(p, "id"), null));
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
            case "opened", "reopened", "ready_for_review" -> prState = CiStatus.PR_OPENED;
            // new commits on the PR's branch: the branch's head moved (someone pushed besides the service)
            case "synchronize" -> prState = CiStatus.PR_UPDATED;
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(status(p, text(pr, "head", "ref"), null, text(pr, "html_url"), null, null,
                text(pr, "head", "sha"), action, "pull_request", text(pr, "title"), prState, List.of(),
                text(pr, "number"), null));
    }

    /** The commit's checks page on github.com (or the GitHub Enterprise host), from the repository's web URL. */
    private static String checksPage(JsonNode p, String sha) {
        String web = text(p, "repository", "html_url");
        return web == null || sha == null ? web : web + "/commit/" + sha + "/checks";
    }

    /** {@code url} unless it is a REST API address (api.github.com or a GHES {@code /api/v3/} path). */
    private static String webPage(String url) {
        if (url == null || url.startsWith("https://api.github.com/") || url.contains("/api/v3/")) {
            return null;
        }
        return url;
    }

    private static CiStatus status(JsonNode p, String branch, String status, String url, String checkName,
            String summary, String sha, String conclusion, String kind, String title, String prState,
            List<String> branches, String runId, Long mergeRequestIid) {
        JsonNode repo = at(p, "repository");
        List<String> urls = new ArrayList<>();
        for (String field : List.of("clone_url", "ssh_url", "html_url", "git_url")) {
            String u = text(repo, field);
            if (u != null) {
                urls.add(u);
            }
        }
        return new CiStatus(null, branch, status, GithubForge.ID, url, checkName, summary, sha,
                text(repo, "full_name"), urls, conclusion, kind, title, prState, branches, runId, mergeRequestIid);
    }
}
