package io.deksdenflow.orchestrator.forge;

/**
 * One thing a reviewer asked of a change request ({@link Forge#reviewComments}): a comment on its diff ({@code path},
 * {@code line} and the {@code diffHunk} it refers to) or the body of a review that requested changes ({@code path}
 * null). {@code id} is the forge's id of the comment or review; {@code kind} says which ({@code comment},
 * {@code review}) so ids of the two never collide in a fingerprint. {@code body} is bounded ({@link #MAX_BODY}).
 */
public record ReviewComment(String kind, long id, String author, Long authorId, String path, Integer line, String diffHunk, String body) {
    public static final int MAX_BODY = 8_000;
    public static final int MAX_HUNK = 4_000;

    public ReviewComment {
        body = body == null ? "" : body.length() <= MAX_BODY ? body : body.substring(0, MAX_BODY);
        diffHunk = diffHunk == null ? null : diffHunk.length() <= MAX_HUNK ? diffHunk : diffHunk.substring(diffHunk.length() - MAX_HUNK);
    }

    /** {@code kind:id}: what a review-fix turn remembers it answered. */
    public String key() {
        return kind + ":" + id;
    }
}
