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
 * GitHub webhook payloads ({@code X-GitHub-Event}) → {@link CiStatus}. Handles {@code workflow_run},
 * {@code check_suite}, {@code check_run}, {@code status} and {@code pull_request}; {@code ping},
 * unknown events and pull-request actions other than opened/reopened/ready_for_review/closed give
 * an empty result. The result is not validated: a payload without a branch yields a status with a
 * null branch, which {@link CiStatus#validated} rejects unless a protocol_run_id was added.
 */
public final class GithubTranslator {

    public static final String PROVIDER = "github";

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

    private static Optional<CiStatus> workflowRun(JsonNode p) {
        JsonNode run = at(p, "workflow_run");
        if (run == null) {
            return Optional.empty();
        }
        String conclusion = text(run, "conclusion");
        String rawStatus = text(run, "status");
        return Optional.of(status(p, text(run, "head_branch"), CiStates.map(rawStatus, conclusion),
                text(run, "html_url"), text(run, "name"), null, text(run, "head_sha"),
                firstNonNull(conclusion, rawStatus), "workflow_run", text(run, "display_title"), null));
    }

    private static Optional<CiStatus> checkSuite(JsonNode p) {
        JsonNode suite = at(p, "check_suite");
        if (suite == null) {
            return Optional.empty();
        }
        String conclusion = text(suite, "conclusion");
        String rawStatus = text(suite, "status");
        return Optional.of(status(p, text(suite, "head_branch"), CiStates.map(rawStatus, conclusion),
                text(suite, "url"), text(suite, "app", "name"), null, text(suite, "head_sha"),
                firstNonNull(conclusion, rawStatus), "check_suite", null, null));
    }

    private static Optional<CiStatus> checkRun(JsonNode p) {
        JsonNode run = at(p, "check_run");
        if (run == null) {
            return Optional.empty();
        }
        String conclusion = text(run, "conclusion");
        String rawStatus = text(run, "status");
        return Optional.of(status(p, text(run, "check_suite", "head_branch"),
                CiStates.map(rawStatus, conclusion),
                firstNonNull(text(run, "html_url"), text(run, "details_url")), text(run, "name"),
                text(run, "output", "summary"),
                firstNonNull(text(run, "head_sha"), text(run, "check_suite", "head_sha")),
                firstNonNull(conclusion, rawStatus), "check_run", text(run, "output", "title"), null));
    }

    private static Optional<CiStatus> status(JsonNode p) {
        String state = text(p, "state");
        if (state == null) {
            return Optional.empty();
        }
        JsonNode branches = at(p, "branches");
        String branch = branches != null && branches.isArray() && !branches.isEmpty()
                ? text(branches.get(0), "name") : null;
        return Optional.of(status(p, branch, CiStates.map(state), text(p, "target_url"),
                text(p, "context"), text(p, "description"), text(p, "sha"), state, "status", null, null));
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
            default -> {
                return Optional.empty();
            }
        }
        return Optional.of(status(p, text(pr, "head", "ref"), null, text(pr, "html_url"), null, null,
                text(pr, "head", "sha"), action, "pull_request", text(pr, "title"), prState));
    }

    private static CiStatus status(JsonNode p, String branch, String status, String url, String checkName,
            String summary, String sha, String conclusion, String kind, String title, String prState) {
        JsonNode repo = at(p, "repository");
        List<String> urls = new ArrayList<>();
        for (String field : List.of("clone_url", "ssh_url", "html_url", "git_url")) {
            String u = text(repo, field);
            if (u != null) {
                urls.add(u);
            }
        }
        return new CiStatus(null, branch, status, PROVIDER, url, checkName, summary, sha,
                text(repo, "full_name"), urls, conclusion, kind, title, prState);
    }
}
