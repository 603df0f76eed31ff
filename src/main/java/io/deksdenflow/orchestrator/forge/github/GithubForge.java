package io.deksdenflow.orchestrator.forge.github;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.forge.ChangeRequest;
import io.deksdenflow.orchestrator.forge.CommentEvent;
import io.deksdenflow.orchestrator.forge.CiFailure;
import io.deksdenflow.orchestrator.forge.BaseEvent;
import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.ForgeException;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import io.deksdenflow.orchestrator.forge.ReviewComment;
import io.deksdenflow.orchestrator.forge.Signatures;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * GitHub (and GitHub Enterprise through {@code DEKSDENFLOW_GITHUB_API_BASE}): webhooks signed with
 * {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256>}, draft pull requests, CI triage from Actions
 * ({@link GithubCi}), issue comments; the token is the project secret {@code GITHUB_TOKEN}.
 */
@Component
@Order(1)
public class GithubForge implements Forge {
    public static final String ID = "github";
    public static final String TOKEN = "GITHUB_TOKEN";
    static final String SIGNATURE_PREFIX = "sha256=";

    private final GithubSettings settings;
    private final ForgeHttp http;
    private final GithubCi ci;

    public GithubForge(GithubSettings settings, ForgeHttp http) {
        this.settings = settings;
        this.http = http;
        this.ci = new GithubCi(this, http);
    }

    @Override public String id() { return ID; }
    @Override public String displayName() { return "GitHub"; }
    @Override public String changeRequestNoun() { return "pull request"; }
    @Override public String changeRequestShort() { return "PR"; }
    @Override public String tokenSecret() { return TOKEN; }
    @Override public String cloneUser() { return "x-access-token"; }

    @Override
    public String webhookEvent(UnaryOperator<String> headers) {
        return headers.apply("X-GitHub-Event");
    }

    @Override
    public String webhookDeliveryId(UnaryOperator<String> headers) {
        return headers.apply("X-GitHub-Delivery");
    }

    @Override
    public String webhookCredential(UnaryOperator<String> headers) {
        return headers.apply("X-Hub-Signature-256");
    }

    @Override
    public boolean verifies(String secret, String credential, byte[] body) {
        if (credential == null) return false;
        String value = credential.trim();
        if (!value.regionMatches(true, 0, SIGNATURE_PREFIX, 0, SIGNATURE_PREFIX.length())) return false;
        return Signatures.hmacSha256HexMatches(secret, body, value.substring(SIGNATURE_PREFIX.length()));
    }

    /** The {@code X-Hub-Signature-256} value GitHub would send for {@code body} (for senders and tests). */
    public static String signature(String secret, byte[] body) {
        return SIGNATURE_PREFIX + Signatures.hmacSha256Hex(secret, body);
    }

    @Override
    public Optional<CiStatus> translate(String event, JsonNode payload) {
        return GithubTranslator.translate(event, payload);
    }

    @Override
    public Optional<BaseEvent> baseEvent(String event, JsonNode payload) {
        return GithubTranslator.baseEvent(event, payload);
    }

    @Override
    public Optional<IssueEvent> issueEvent(String event, JsonNode payload) {
        return GithubIssues.issueEvent(event, payload);
    }

    @Override
    public Optional<CommentEvent> commentEvent(String event, JsonNode payload) {
        return GithubIssues.commentEvent(event, payload);
    }

    /** OWNER, MEMBER and COLLABORATOR may write; anyone else is asked of the collaborator-permission API. */
    @Override
    public boolean canWrite(ForgeRepo repo, CommentEvent comment) throws ForgeException {
        if (comment.authorAssociation() != null
                && Set.of("OWNER", "MEMBER", "COLLABORATOR").contains(comment.authorAssociation().toUpperCase(Locale.ROOT))) {
            return true;
        }
        try {
            JsonNode p = http.json(request(repo, "/repos/" + repo.path() + "/collaborators/" + ForgeHttp.enc(comment.author())
                    + "/permission").GET(), "GitHub");
            return Set.of("admin", "maintain", "write").contains(p.path("permission").asText(""));
        } catch (ForgeException e) {
            if (e.status() == 404 || e.status() == 403 && e.retryAt() == null) return false;
            throw e;
        }
    }

    @Override
    public ChangeRequest openChangeRequest(ForgeRepo repo, String head, String base, String title, String body) {
        try {
            String path = repo.path();
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("title", title);
            req.put("head", head);
            req.put("base", base);
            req.put("body", body);
            req.put("draft", true);
            try {
                return opened(http.json(request(repo, "/repos/" + path + "/pulls").header("Content-Type", "application/json")
                        .POST(http.body(req)), "GitHub"));
            } catch (ForgeException e) {
                if (e.status() != 422 || !e.getMessage().contains("already exists")) throw e;
            }
            String owner = path.substring(0, path.indexOf('/'));
            JsonNode open = http.json(request(repo, "/repos/" + path + "/pulls?state=open&head="
                    + ForgeHttp.enc(owner + ":" + head)).GET(), "GitHub");
            if (open.isArray() && !open.isEmpty()) return opened(open.get(0));
            throw new ForgeException("GitHub API answered 422: a pull request exists but none is open for " + head, 422);
        } catch (ForgeException e) {
            throw ForgeHttp.jobError(e);
        }
    }

    @Override
    public List<CiFailure> ciFailures(ForgeRepo repo, Map<String, Object> ciRef, int excerptLines) {
        return ci.failures(repo, ciRef, excerptLines);
    }

    @Override
    public String rerunFailedJobs(ForgeRepo repo, Map<String, Object> ciRef) {
        return ci.rerun(repo, ciRef);
    }

    @Override
    public long postComment(ForgeRepo repo, CommentOn on, long number, String body) throws ForgeException {
        JsonNode c = http.json(request(repo, "/repos/" + repo.path() + "/issues/" + number + "/comments")
                .header("Content-Type", "application/json").POST(http.body(Map.of("body", body))), "GitHub");
        return c.path("id").asLong();
    }

    @Override
    public void editComment(ForgeRepo repo, CommentOn on, long number, long commentId, String body) throws ForgeException {
        http.json(request(repo, "/repos/" + repo.path() + "/issues/comments/" + commentId)
                .header("Content-Type", "application/json").method("PATCH", http.body(Map.of("body", body))), "GitHub");
    }

    @Override
    public Optional<Long> findComment(ForgeRepo repo, CommentOn on, long number, String marker) throws ForgeException {
        for (int page = 1; page <= COMMENT_SCAN_LIMIT / 100; page++) {
            JsonNode list = http.json(request(repo, "/repos/" + repo.path() + "/issues/" + number
                    + "/comments?per_page=100&page=" + page).GET(), "GitHub");
            for (JsonNode c : list) {
                if (c.path("body").asText("").contains(marker)) return Optional.of(c.path("id").asLong());
            }
            if (list.size() < 100) break;
        }
        return Optional.empty();
    }

    @Override
    public List<IssueEvent> openIssues(ForgeRepo repo, String label, int limit) throws ForgeException {
        List<IssueEvent> out = new ArrayList<>();
        for (int page = 1; out.size() < limit && page <= 10; page++) {
            JsonNode list = http.json(request(repo, "/repos/" + repo.path() + "/issues?state=open&sort=created&direction=asc"
                    + "&per_page=100&page=" + page + "&labels=" + ForgeHttp.enc(label)).GET(), "GitHub");
            for (JsonNode issue : list) {
                if (out.size() < limit) GithubIssues.fromIssue(IssueEvent.Action.OPENED, issue, repo.path(), List.of(repo.gitUrl()))
                        .ifPresent(out::add);
            }
            if (list.size() < 100) break;
        }
        return out;
    }

    @Override
    public List<Long> blockers(ForgeRepo repo, long number) throws ForgeException {
        try {
            JsonNode list = http.json(request(repo, "/repos/" + repo.path() + "/issues/" + number
                    + "/dependencies/blocked_by?per_page=100").GET(), "GitHub");
            List<Long> out = new ArrayList<>();
            for (JsonNode i : list) if (i.path("number").asLong(0) > 0) out.add(i.path("number").asLong());
            return out;
        } catch (ForgeException e) {
            if (e.status() == 404 || e.status() == 410) return List.of(); // no dependencies on this GitHub
            throw e;
        }
    }

    @Override
    public List<ReviewComment> reviewComments(ForgeRepo repo, long number) throws ForgeException {
        List<ReviewComment> out = new ArrayList<>();
        JsonNode reviews = http.json(request(repo, "/repos/" + repo.path() + "/pulls/" + number + "/reviews?per_page=100").GET(), "GitHub");
        for (JsonNode r : reviews) {
            String body = r.path("body").asText("");
            if ("CHANGES_REQUESTED".equalsIgnoreCase(r.path("state").asText()) && !body.isBlank() && out.size() < REVIEW_COMMENT_LIMIT) {
                out.add(new ReviewComment("review", r.path("id").asLong(), r.path("user").path("login").asText(null), id(r.path("user")),
                        null, null, null, body));
            }
        }
        JsonNode comments = http.json(request(repo, "/repos/" + repo.path() + "/pulls/" + number + "/comments?per_page=100").GET(), "GitHub");
        for (JsonNode c : comments) {
            if (out.size() >= REVIEW_COMMENT_LIMIT) break;
            if ("Bot".equalsIgnoreCase(c.path("user").path("type").asText())) continue;
            JsonNode line = c.path("line").canConvertToInt() ? c.path("line") : c.path("original_line");
            out.add(new ReviewComment("comment", c.path("id").asLong(), c.path("user").path("login").asText(null), id(c.path("user")),
                    c.path("path").asText(null), line.canConvertToInt() ? line.asInt() : null, c.path("diff_hunk").asText(null),
                    c.path("body").asText("")));
        }
        return out;
    }

    @Override
    public void addLabel(ForgeRepo repo, long number, String label) throws ForgeException {
        http.json(request(repo, "/repos/" + repo.path() + "/issues/" + number + "/labels").header("Content-Type", "application/json")
                .POST(http.body(Map.of("labels", List.of(label)))), "GitHub");
    }

    @Override
    public Optional<IssueState> issueNow(ForgeRepo repo, long number) throws ForgeException {
        try {
            JsonNode issue = http.json(request(repo, "/repos/" + repo.path() + "/issues/" + number).GET(), "GitHub");
            return Optional.of(new IssueState("open".equals(issue.path("state").asText()), IssueEvent.names(issue.path("labels"), "name")));
        } catch (ForgeException e) {
            if (e.status() == 404 || e.status() == 410) return Optional.empty();
            throw e;
        }
    }

    /** A REST request to {@code apiBase + path} with the project's token. */
    HttpRequest.Builder request(ForgeRepo repo, String path) throws ForgeException {
        return ForgeHttp.request(ForgeHttp.trim(settings.apiBase()) + path)
                .header("Authorization", "Bearer " + repo.token(TOKEN))
                .header("Accept", "application/vnd.github+json").header("X-GitHub-Api-Version", "2022-11-28");
    }

    String apiBase() {
        return ForgeHttp.trim(settings.apiBase());
    }

    private static ChangeRequest opened(JsonNode pr) {
        JsonNode n = pr.path("number");
        return new ChangeRequest(pr.path("html_url").asText(), n.canConvertToLong() && n.asLong() > 0 ? n.asLong() : null);
    }

    private static Long id(JsonNode user) {
        return user.path("id").canConvertToLong() ? user.path("id").asLong() : null;
    }
}
