package io.deksdenflow.orchestrator.forge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One forge (GitHub, GitLab, Gitea/Forgejo, ...): everything this service says to it or hears from it.
 * An implementation is one package under {@code forge/} plus its registration as a Spring bean; nothing
 * outside {@code forge/} names a provider. {@link Forges} is the registry the rest of the service asks.
 *
 * <p>Webhooks arrive on {@code POST /webhooks/<id>} (route {@code webhook-<id>}): the route asks the forge
 * for the delivery's event, id and credential, checks the credential against each candidate secret with
 * {@link #verifies}, then {@link #translate}s the payload into a {@link CiStatus}. REST calls take a
 * {@link ForgeRepo} (the project's git URL and secrets) and never throw for the forge's answers except
 * {@link ForgeException} where a caller must tell a transient failure from a final one.
 */
public interface Forge {

    /**
     * The start of the hidden marker in every comment this service writes (status comments, replies, review
     * answers): a comment that holds it is the service's own and is never read as a person's.
     */
    String OWN_MARKER = "<!-- deksdenflow:";

    /** The {@code ci_provider} value and the webhook path segment: lower-case letters. */
    String id();

    /** How people call it in messages ("GitHub"). */
    String displayName();

    /** The forge's word for a change request: "pull request" or "merge request". */
    String changeRequestNoun();

    /** Its short form: "PR" or "MR". */
    String changeRequestShort();

    /** The project secret holding the API token (e.g. {@code GITHUB_TOKEN}). */
    String tokenSecret();

    /** The user name git sends with that token over https (the token is the password). */
    String cloneUser();

    // ---------------------------------------------------------------- webhooks

    /** The delivery's event name from its headers (e.g. {@code X-GitHub-Event}); null when absent. */
    String webhookEvent(UnaryOperator<String> headers);

    /** The delivery's unique id from its headers; null when the forge sent none (the body's hash is used). */
    String webhookDeliveryId(UnaryOperator<String> headers);

    /** The signature or token the delivery carries; null or blank when unsigned. */
    String webhookCredential(UnaryOperator<String> headers);

    /** Whether {@code credential} proves that the sender knows {@code secret}, for this raw body (constant time). */
    boolean verifies(String secret, String credential, byte[] body);

    /**
     * The payload as a CI or change-request status, not yet validated ({@link CiStatus#validated}); empty
     * when this service does not act on the event.
     */
    Optional<CiStatus> translate(String event, JsonNode payload);

    /**
     * The payload as an issue event (opened, labeled, unlabeled, reopened, closed), not yet matched to a
     * project; empty when it is not one (another event or action, a pull request, a confidential issue).
     */
    Optional<IssueEvent> issueEvent(String event, JsonNode payload);

    /**
     * The payload as a push to a branch, or as a change request the forge says conflicts with its target branch
     * (GitHub {@code mergeable_state: dirty}, GitLab {@code detailed_merge_status: conflict}), not yet matched to a
     * project; empty for anything else. Protocols whose base moved are synced with it (issue #23).
     */
    default Optional<BaseEvent> baseEvent(String event, JsonNode payload) {
        return Optional.empty();
    }

    // ---------------------------------------------------------------- REST

    /**
     * Opens a draft change request from {@code head} into {@code base}; one that is already open counts as
     * opened. Throws {@code JobFailure} for answers a retry cannot change (4xx other than 429), an
     * unchecked exception otherwise.
     */
    ChangeRequest openChangeRequest(ForgeRepo repo, String head, String base, String title, String body);

    /**
     * The failed jobs of what {@code ciRef} names ({@code provider, event_kind, run_id, check_name, url,
     * title, summary} as the webhook recorded them), each with a bounded, secret-free log excerpt of at
     * most {@code excerptLines} lines; what could not be fetched is said in the excerpt.
     */
    List<CiFailure> ciFailures(ForgeRepo repo, Map<String, Object> ciRef, int excerptLines);

    /** Asks the forge to re-run the failed jobs of what {@code ciRef} names; null when requested, else why not. */
    String rerunFailedJobs(ForgeRepo repo, Map<String, Object> ciRef);

    /** What a comment is on: an issue or a change request (GitLab numbers them apart). */
    enum CommentOn { ISSUE, CHANGE_REQUEST }

    /** Posts a comment on issue or change request {@code number}; returns the comment's id. */
    long postComment(ForgeRepo repo, CommentOn on, long number, String body) throws ForgeException;

    /** Replaces the text of comment {@code commentId} on issue or change request {@code number}. */
    void editComment(ForgeRepo repo, CommentOn on, long number, long commentId, String body) throws ForgeException;

    /** How many comments {@link #findComment} reads at most (pages of 100). */
    int COMMENT_SCAN_LIMIT = 1000;

    /**
     * The id of the first comment on issue or change request {@code number} whose text holds {@code marker}
     * (at most {@link #COMMENT_SCAN_LIMIT} comments are read, oldest first); empty when there is none.
     */
    Optional<Long> findComment(ForgeRepo repo, CommentOn on, long number, String marker) throws ForgeException;

    /**
     * The repository's open issues that carry {@code label} (not pull requests), as {@link IssueEvent}s of
     * action {@code opened}, oldest first, at most {@code limit}.
     */
    List<IssueEvent> openIssues(ForgeRepo repo, String label, int limit) throws ForgeException;

    /** An issue as the forge has it now: open or not, and its labels. */
    record IssueState(boolean open, List<String> labels) {
        public IssueState {
            labels = labels == null ? List.of() : List.copyOf(labels);
        }

        public boolean hasLabel(String label) {
            return labels.stream().anyMatch(l -> l.equalsIgnoreCase(label));
        }
    }

    /** Issue {@code number} as it is now; empty when the forge does not know it (or it is gone). */
    Optional<IssueState> issueNow(ForgeRepo repo, long number) throws ForgeException;

    /** Whether issue {@code number} is closed; a missing issue counts as closed (nothing is left to wait for). */
    default boolean issueClosed(ForgeRepo repo, long number) throws ForgeException {
        return issueNow(repo, number).map(s -> !s.open()).orElse(true);
    }

    /**
     * The payload as a new comment on an issue or change request (a person's or a bot's), not yet matched to a
     * project; empty when it is not one (another event, an edit or deletion, a system note).
     */
    Optional<CommentEvent> commentEvent(String event, JsonNode payload);

    /**
     * Whether the comment's author may write to the repository: the payload's association where the forge sends
     * one that says so, else the forge's permission API (GitHub and Gitea: write, maintain or admin; GitLab:
     * access level Developer or above). Anyone the forge does not know is not permitted.
     */
    boolean canWrite(ForgeRepo repo, CommentEvent comment) throws ForgeException;

    /**
     * The issues the forge itself links as blocking issue {@code number} (GitHub's issue dependencies, GitLab's
     * {@code is_blocked_by} links, Gitea's dependencies); empty where the forge has no such links for it.
     */
    List<Long> blockers(ForgeRepo repo, long number) throws ForgeException;

    /** How many review comments {@link #reviewComments} reads at most. */
    int REVIEW_COMMENT_LIMIT = 100;

    /**
     * What reviewers asked of change request {@code number} that is still open: comments on its diff (on GitLab
     * the notes of unresolved diff discussions) and the bodies of reviews that requested changes, oldest first, at
     * most {@link #REVIEW_COMMENT_LIMIT}; the authors are whoever the forge names.
     */
    List<ReviewComment> reviewComments(ForgeRepo repo, long number) throws ForgeException;

    /** Adds {@code label} to change request {@code number}. */
    void addLabel(ForgeRepo repo, long number, String label) throws ForgeException;
}
