package io.deksdenflow.orchestrator.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An issue webhook delivery in the forge's terms made common ({@link Forge#issueEvent}): what happened to
 * issue {@code number} of {@code repository}. {@code labels} are the issue's labels after the event (the
 * authority: a forge that says only "labels changed", as Gitea does, reports {@code labeled}, and a consumer
 * decides by {@code labels}); {@code changedLabels} the labels added ({@code labeled}) or removed
 * ({@code unlabeled}) when the forge names them, else empty. {@code title} and {@code body} are bounded
 * ({@link #MAX_TITLE}, {@link #MAX_BODY} characters); {@code body} is never null.
 */
public record IssueEvent(String provider, Action action, long number, String title, String body, String url,
                         List<String> labels, List<String> changedLabels, String repository,
                         List<String> repositoryUrls) {
    public static final int MAX_TITLE = 1000;
    public static final int MAX_BODY = 65_536;

    /** What happened to the issue. */
    public enum Action {
        OPENED, LABELED, UNLABELED, REOPENED, CLOSED;

        public String api() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public IssueEvent {
        title = bounded(title, MAX_TITLE);
        body = body == null ? "" : bounded(body, MAX_BODY);
        labels = clean(labels);
        changedLabels = clean(changedLabels);
        repositoryUrls = clean(repositoryUrls);
    }

    /** The event, or empty when it names no action, no positive issue number or no title. */
    public static Optional<IssueEvent> of(String provider, Action action, long number, String title, String body,
                                          String url, List<String> labels, List<String> changedLabels,
                                          String repository, List<String> repositoryUrls) {
        if (action == null || number <= 0 || title == null || title.isBlank()) return Optional.empty();
        return Optional.of(new IssueEvent(provider, action, number, title, body, url, labels, changedLabels,
                repository, repositoryUrls));
    }

    /** The {@code field} of each object of a JSON array of labels ({@code name} or {@code title}). */
    public static List<String> names(JsonNode labels, String field) {
        List<String> out = new ArrayList<>();
        if (labels == null || !labels.isArray()) return out;
        for (JsonNode l : labels) {
            String name = Json.text(l, field);
            if (name != null) out.add(name);
        }
        return out;
    }

    /** The non-blank {@code fields} of {@code node}, in order, without duplicates. */
    public static List<String> urls(JsonNode node, String... fields) {
        List<String> out = new ArrayList<>();
        for (String f : fields) {
            String u = Json.text(node, f);
            if (u != null && !out.contains(u)) out.add(u);
        }
        return out;
    }

    public boolean hasLabel(String label) {
        return labels.stream().anyMatch(l -> l.equalsIgnoreCase(label));
    }

    private static String bounded(String s, int max) {
        if (s == null) return null;
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static List<String> clean(List<String> in) {
        return in == null ? List.of() : in.stream().filter(s -> s != null && !s.isBlank()).distinct().toList();
    }
}
