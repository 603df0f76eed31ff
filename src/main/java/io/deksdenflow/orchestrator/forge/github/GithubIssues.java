package io.deksdenflow.orchestrator.forge.github;

import static io.deksdenflow.orchestrator.forge.Json.at;
import static io.deksdenflow.orchestrator.forge.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * GitHub's {@code issues} deliveries (action opened, labeled, unlabeled, reopened, closed; {@code label}
 * names the label added or removed) as {@link IssueEvent}s; other actions, and issues that are pull
 * requests, are empty.
 */
final class GithubIssues {
    private GithubIssues() {}

    static Optional<IssueEvent> issueEvent(String eventHeader, JsonNode p) {
        if (eventHeader == null || p == null || !p.isObject()
                || !"issues".equals(eventHeader.trim().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        JsonNode issue = at(p, "issue");
        if (issue == null || at(issue, "pull_request") != null) return Optional.empty();
        IssueEvent.Action action = switch (String.valueOf(text(p, "action"))) {
            case "opened" -> IssueEvent.Action.OPENED;
            case "labeled" -> IssueEvent.Action.LABELED;
            case "unlabeled" -> IssueEvent.Action.UNLABELED;
            case "reopened" -> IssueEvent.Action.REOPENED;
            case "closed" -> IssueEvent.Action.CLOSED;
            default -> null;
        };
        String changed = text(p, "label", "name");
        JsonNode repo = at(p, "repository");
        return IssueEvent.of(GithubForge.ID, action, issue.path("number").asLong(0), text(issue, "title"),
                text(issue, "body"), text(issue, "html_url"), IssueEvent.names(at(issue, "labels"), "name"),
                changed == null ? List.of() : List.of(changed), text(repo, "full_name"),
                IssueEvent.urls(repo, "clone_url", "ssh_url", "html_url", "git_url"));
    }
}
