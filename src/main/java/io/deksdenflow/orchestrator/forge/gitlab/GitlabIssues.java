package io.deksdenflow.orchestrator.forge.gitlab;

import static io.deksdenflow.orchestrator.forge.Json.at;
import static io.deksdenflow.orchestrator.forge.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.forge.CommentEvent;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * GitLab's {@code Issue Hook} deliveries ({@code object_kind: issue}) as {@link IssueEvent}s, numbered by
 * the issue's {@code iid}: action open, reopen, close; an {@code update} whose {@code changes.labels}
 * added a label is {@code labeled}, one that only removed labels {@code unlabeled}; other updates are
 * empty. Confidential issues ({@code Confidential Issue Hook}) are never taken in.
 */
final class GitlabIssues {
    private GitlabIssues() {}

    static Optional<IssueEvent> issueEvent(String eventHeader, JsonNode p) {
        if (p == null || !p.isObject() || !"issue".equals(text(p, "object_kind"))) return Optional.empty();
        if (eventHeader != null && !eventHeader.isBlank()
                && !"issue hook".equals(eventHeader.trim().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        JsonNode attrs = at(p, "object_attributes");
        if (attrs == null || attrs.path("confidential").asBoolean(false)) return Optional.empty();
        JsonNode labelChange = at(p, "changes", "labels");
        List<String> labels = labelChange != null
                ? IssueEvent.names(at(labelChange, "current"), "title")
                : IssueEvent.names(at(p, "labels") != null ? at(p, "labels") : at(attrs, "labels"), "title");
        // an update changed labels only when it says so (changes.labels)
        List<String> before = labelChange == null ? labels : IssueEvent.names(at(labelChange, "previous"), "title");
        List<String> added = minus(labels, before);
        List<String> removed = minus(before, labels);
        IssueEvent.Action action;
        List<String> changed = List.of();
        switch (String.valueOf(text(attrs, "action"))) {
            case "open" -> action = IssueEvent.Action.OPENED;
            case "reopen" -> action = IssueEvent.Action.REOPENED;
            case "close" -> action = IssueEvent.Action.CLOSED;
            case "update" -> {
                action = !added.isEmpty() ? IssueEvent.Action.LABELED
                        : !removed.isEmpty() ? IssueEvent.Action.UNLABELED : null;
                changed = !added.isEmpty() ? added : removed;
            }
            default -> action = null;
        }
        JsonNode project = at(p, "project");
        List<String> urls = IssueEvent.urls(project, "git_http_url", "git_ssh_url", "web_url", "homepage", "url");
        for (String u : IssueEvent.urls(at(p, "repository"), "git_http_url", "git_ssh_url", "homepage", "url")) {
            if (!urls.contains(u)) urls.add(u);
        }
        return IssueEvent.of(GitlabForge.ID, action, attrs.path("iid").asLong(0), text(attrs, "title"),
                text(attrs, "description"), text(attrs, "url"), labels, changed, text(project, "path_with_namespace"),
                urls);
    }

    private static List<String> minus(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.removeAll(b);
        return out;
    }

    /**
     * A {@code Note Hook} on an issue or a merge request (not a system note, not on a confidential issue);
     * GitLab's project and group access tokens act as bot users named {@code project_<id>_bot...} or
     * {@code group_<id>_bot...}.
     */
    static Optional<CommentEvent> commentEvent(String eventHeader, JsonNode p) {
        if (p == null || !p.isObject() || !"note".equals(text(p, "object_kind"))) return Optional.empty();
        if (eventHeader != null && !eventHeader.isBlank()
                && !"note hook".equals(eventHeader.trim().toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        JsonNode attrs = at(p, "object_attributes");
        if (attrs == null || attrs.path("system").asBoolean(false)) return Optional.empty();
        // an edited note (action update) is no new command; a confidential issue's note is never read
        String noteAction = text(attrs, "action");
        if (noteAction != null && !"create".equals(noteAction)) return Optional.empty();
        if ("confidential_note".equals(text(p, "event_type"))) return Optional.empty();
        String type = String.valueOf(text(attrs, "noteable_type"));
        Forge.CommentOn on;
        JsonNode target;
        if ("Issue".equals(type)) {
            on = Forge.CommentOn.ISSUE;
            target = at(p, "issue");
            if (target != null && target.path("confidential").asBoolean(false)) return Optional.empty();
        } else if ("MergeRequest".equals(type)) {
            on = Forge.CommentOn.CHANGE_REQUEST;
            target = at(p, "merge_request");
        } else {
            return Optional.empty();
        }
        if (target == null) return Optional.empty();
        JsonNode user = p.path("user");
        String username = text(user, "username");
        JsonNode project = at(p, "project");
        List<String> urls = IssueEvent.urls(project, "git_http_url", "git_ssh_url", "web_url", "homepage", "url");
        return CommentEvent.of(GitlabForge.ID, on, target.path("iid").asLong(0), attrs.path("id").asLong(0), username,
                user.path("id").canConvertToLong() ? user.path("id").asLong() : null, null,
                username != null && username.matches("(project|group)_\\d+_bot.*"), text(attrs, "note"),
                text(project, "path_with_namespace"), urls,
                on == Forge.CommentOn.CHANGE_REQUEST && ("DiffNote".equals(text(attrs, "type")) || at(attrs, "position") != null));
    }
}
