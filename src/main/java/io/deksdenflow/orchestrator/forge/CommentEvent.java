package io.deksdenflow.orchestrator.forge;

import java.util.List;
import java.util.Optional;

/**
 * A new comment on an issue or a change request, in the forge's terms made common ({@link Forge#commentEvent}):
 * GitHub's and Gitea's {@code issue_comment} ({@code created}), GitLab's {@code Note Hook} (not a system note).
 * {@code number} is the or the change request's number (GitLab: iid) as {@code on} says;
 * {@code authorAssociation} is what the forge said of the author's relation to the repository (GitHub's
 * {@code author_association}; null where the payload says nothing); {@code bot} whether the forge marks the
 * author as a bot. {@code body} is bounded ({@link #MAX_BODY}). {@code review} marks a review that asks for changes
 * or a comment on the change request's diff (GitHub {@code pull_request_review} {@code changes_requested} and
 * {@code pull_request_review_comment}; GitLab a {@code DiffNote}): what a review-fix turn answers.
 */
public record CommentEvent(String provider, Forge.CommentOn on, long number, long commentId, String author,
                           Long authorId, String authorAssociation, boolean bot, String body, String repository,
                           List<String> repositoryUrls, boolean review) {
    public static final int MAX_BODY = 65_536;

    public CommentEvent {
        body = body == null ? "" : body.length() <= MAX_BODY ? body : body.substring(0, MAX_BODY);
        repositoryUrls = repositoryUrls == null ? List.of()
                : repositoryUrls.stream().filter(s -> s != null && !s.isBlank()).distinct().toList();
    }

    /** The event, or empty when it names no positive number or no author. */
    public static Optional<CommentEvent> of(String provider, Forge.CommentOn on, long number, long commentId, String author,
                                            Long authorId, String authorAssociation, boolean bot, String body,
                                            String repository, List<String> repositoryUrls) {
        return of(provider, on, number, commentId, author, authorId, authorAssociation, bot, body, repository,
                repositoryUrls, false);
    }

    public static Optional<CommentEvent> of(String provider, Forge.CommentOn on, long number, long commentId, String author,
                                            Long authorId, String authorAssociation, boolean bot, String body,
                                            String repository, List<String> repositoryUrls, boolean review) {
        if (on == null || number <= 0 || author == null || author.isBlank()) return Optional.empty();
        return Optional.of(new CommentEvent(provider, on, number, commentId, author, authorId, authorAssociation, bot, body,
                repository, repositoryUrls, review));
    }
}
