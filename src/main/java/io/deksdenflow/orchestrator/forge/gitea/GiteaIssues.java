package io.deksdenflow.orchestrator.forge.gitea;

import static io.deksdenflow.orchestrator.forge.Json.at;
import static io.deksdenflow.orchestrator.forge.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Gitea's (and Forgejo's) {@code issues} deliveries ({@code IssuePayload}) as {@link IssueEvent}s: action
 * opened, reopened, closed, and the label deliveries, which Gitea sends with the same {@code issues}
 * header: {@code label_updated} (labels changed: {@code labeled}, decided by the issue's labels) and
 * {@code label_cleared} ({@code unlabeled}). Other actions, and pull requests, are empty.
 */
final class GiteaIssues {
    private GiteaIssues() {}

    static Optional<IssueEvent> issueEvent(String event, JsonNode p) {
        if (event == null || p == null || !p.isObject() || !"issues".equals(event.trim().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        JsonNode issue = at(p, "issue");
        if (issue == null || at(issue, "pull_request") != null) return Optional.empty();
        IssueEvent.Action action = switch (String.valueOf(text(p, "action"))) {
            case "opened" -> IssueEvent.Action.OPENED;
            case "label_updated" -> IssueEvent.Action.LABELED;
            case "label_cleared" -> IssueEvent.Action.UNLABELED;
            case "reopened" -> IssueEvent.Action.REOPENED;
            case "closed" -> IssueEvent.Action.CLOSED;
            default -> null;
        };
        long number = issue.path("number").asLong(p.path("number").asLong(0));
        JsonNode repo = at(p, "repository");
        return IssueEvent.of(GiteaForge.ID, action, number, text(issue, "title"), text(issue, "body"),
                text(issue, "html_url"), IssueEvent.names(at(issue, "labels"), "name"), List.of(),
                text(repo, "full_name"), IssueEvent.urls(repo, "clone_url", "ssh_url", "html_url"));
    }
}
