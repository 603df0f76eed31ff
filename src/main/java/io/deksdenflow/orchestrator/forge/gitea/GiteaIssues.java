package io.deksdenflow.orchestrator.forge.gitea;

import static io.deksdenflow.orchestrator.forge.Json.at;
import static io.deksdenflow.orchestrator.forge.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.forge.CommentEvent;
import io.deksdenflow.orchestrator.forge.Forge;
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

    /** {@code issue_comment} with action {@code created}: on an issue, or on a pull request ({@code is_pull}). */
    static Optional<CommentEvent> commentEvent(String eventHeader, JsonNode p) {
        if (eventHeader == null || p == null || !p.isObject()
                || !"issue_comment".equals(eventHeader.trim().toLowerCase(Locale.ROOT))
                || !"created".equals(text(p, "action"))) {
            return Optional.empty();
        }
        JsonNode issue = at(p, "issue");
        JsonNode comment = at(p, "comment");
        if (issue == null || comment == null) return Optional.empty();
        boolean pull = p.path("is_pull").asBoolean(false) || issue.path("pull_request").isObject();
        JsonNode user = comment.path("user");
        JsonNode repo = at(p, "repository");
        return CommentEvent.of(GiteaForge.ID, pull ? Forge.CommentOn.CHANGE_REQUEST : Forge.CommentOn.ISSUE,
                issue.path("number").asLong(0), comment.path("id").asLong(0), text(user, "login"),
                user.path("id").canConvertToLong() ? user.path("id").asLong() : null, null,
                "bot".equalsIgnoreCase(text(user, "type")), text(comment, "body"), text(repo, "full_name"),
                IssueEvent.urls(repo, "clone_url", "ssh_url", "html_url"));
    }
}
