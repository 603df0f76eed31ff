package io.deksdenflow.orchestrator.forge;

import static io.deksdenflow.orchestrator.forge.Json.at;
import static io.deksdenflow.orchestrator.forge.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What may leave a protocol's branch behind its base (issue #23), not yet matched to a project: a {@link Kind#PUSH} to
 * {@code branch} (its new head {@code sha}), or a change request {@code number} from {@code branch} that the forge
 * says {@link Kind#CONFLICT}s with its target. {@code repository} is the full name / path with namespace and
 * {@code repositoryUrls} its clone and web URLs, for the match.
 */
public record BaseEvent(String provider, Kind kind, String branch, String sha, Long number, String repository,
                        List<String> repositoryUrls) {
    private static final String HEADS = "refs/heads/";
    private static final String ZEROS = "0000000000000000000000000000000000000000";

    public enum Kind { PUSH, CONFLICT }

    public BaseEvent {
        repositoryUrls = repositoryUrls == null ? List.of() : List.copyOf(repositoryUrls);
    }

    /**
     * A push of {@code ref} to {@code after}: a branch that still exists (a tag or a deleted branch is empty), as
     * GitHub, Gitea and GitLab name them.
     */
    public static Optional<BaseEvent> push(String provider, String ref, String after, String repository, List<String> urls) {
        if (ref == null || !ref.startsWith(HEADS) || ref.length() == HEADS.length()) return Optional.empty();
        if (after == null || after.isBlank() || after.equals(ZEROS)) return Optional.empty();
        return Optional.of(new BaseEvent(provider, Kind.PUSH, ref.substring(HEADS.length()), after, null, repository, urls));
    }

    /** GitHub's and Gitea's shape of a repository: {@code full_name} and the URL fields present of {@code fields}. */
    public static List<String> urls(JsonNode repository, String... fields) {
        List<String> out = new ArrayList<>();
        for (String f : fields) {
            String u = text(repository, f);
            if (u != null) out.add(u);
        }
        return out;
    }

    /** A push payload shaped as GitHub's and Gitea's ({@code ref}, {@code after}, {@code repository}). */
    public static Optional<BaseEvent> githubShapedPush(String provider, JsonNode p) {
        JsonNode repo = at(p, "repository");
        return push(provider, text(p, "ref"), text(p, "after"), text(repo, "full_name"),
                urls(repo, "clone_url", "ssh_url", "html_url", "git_url"));
    }
}
