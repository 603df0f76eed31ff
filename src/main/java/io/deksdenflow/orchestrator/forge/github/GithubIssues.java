package io.deksdenflow.orchestrator.forge.github;

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
        return of(action, issue, changed == null ? List.of() : List.of(changed), text(repo, "full_name"),
                IssueEvent.urls(repo, "clone_url", "ssh_url", "html_url", "git_url"));
    }

    /** An issue object of the REST API (a listing) as an event of {@code action}; pull requests are empty. */
    static Optional<IssueEvent> fromIssue(IssueEvent.Action action, JsonNode issue, String repository, List<String> urls) {
        if (issue == null || !issue.isObject() || at(issue, "pull_request") != null) return Optional.empty();
        return of(action, issue, List.of(), repository, urls);
    }

    private static Optional<IssueEvent> of(IssueEvent.Action action, JsonNode issue, List<String> changed,
                                           String repository, List<String> urls) {
        return IssueEvent.of(GithubForge.ID, action, issue.path("number").asLong(0), text(issue, "title"),
                text(issue, "body"), text(issue, "html_url"), IssueEvent.names(at(issue, "labels"), "name"),
                changed, repository, urls);
    }

    /**
     * {@code issue_comment} with action {@code created}: on an issue, or on a pull request (an issue that has one);
     * {@code pull_request_review} {@code submitted} with state {@code changes_requested} and
     * {@code pull_request_review_comment} {@code created}: review comments on the pull request.
     */
    static Optional<CommentEvent> commentEvent(String eventHeader, JsonNode p) {
        if (eventHeader == null || p == null || !p.isObject()) return Optional.empty();
        String event = eventHeader.trim().toLowerCase(Locale.ROOT);
        if (event.equals("pull_request_review")) {
            JsonNode review = at(p, "review");
            if (!"submitted".equals(text(p, "action")) || review == null
                    || !"changes_requested".equalsIgnoreCase(String.valueOf(text(review, "state")))) {
                return Optional.empty();
            }
            return review(p, review);
        }
        if (event.equals("pull_request_review_comment")) {
            JsonNode comment = at(p, "comment");
            if (!"created".equals(text(p, "action")) || comment == null) return Optional.empty();
            return review(p, comment);
        }
        if (!"issue_comment".equals(event) || !"created".equals(text(p, "action"))) {
            return Optional.empty();
        }
        JsonNode issue = at(p, "issue");
        JsonNode comment = at(p, "comment");
        if (issue == null || comment == null) return Optional.empty();
        JsonNode user = comment.path("user");
        JsonNode repo = at(p, "repository");
        return CommentEvent.of(GithubForge.ID, at(issue, "pull_request") != null ? Forge.CommentOn.CHANGE_REQUEST
                        : Forge.CommentOn.ISSUE, issue.path("number").asLong(0), comment.path("id").asLong(0),
                text(user, "login"), user.path("id").canConvertToLong() ? user.path("id").asLong() : null,
                text(comment, "author_association"), "Bot".equalsIgnoreCase(text(user, "type")), text(comment, "body"),
                text(repo, "full_name"), IssueEvent.urls(repo, "clone_url", "ssh_url", "html_url", "git_url"));
    }

    private static Optional<CommentEvent> review(JsonNode p, JsonNode item) {
        JsonNode user = item.path("user");
        JsonNode repo = at(p, "repository");
        JsonNode pr = at(p, "pull_request");
        return CommentEvent.of(GithubForge.ID, Forge.CommentOn.CHANGE_REQUEST, pr == null ? 0 : pr.path("number").asLong(0),
                item.path("id").asLong(0), text(user, "login"), user.path("id").canConvertToLong() ? user.path("id").asLong() : null,
                text(item, "author_association"), "Bot".equalsIgnoreCase(text(user, "type")), text(item, "body"),
                text(repo, "full_name"), IssueEvent.urls(repo, "clone_url", "ssh_url", "html_url", "git_url"), true);
    }
}
