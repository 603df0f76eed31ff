package io.deksdenflow.orchestrator.forge.gitea;

import static io.deksdenflow.orchestrator.forge.CiRefs.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.forge.ChangeRequest;
import io.deksdenflow.orchestrator.forge.CommentEvent;
import io.deksdenflow.orchestrator.forge.CiFailure;
import io.deksdenflow.orchestrator.forge.CiRefs;
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
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Gitea and Forgejo (Codeberg): webhooks signed with {@code X-Gitea-Signature} or {@code X-Forgejo-Signature}
 * (hex HMAC-SHA256 of the body, no prefix), events in {@code X-Gitea-Event} / {@code X-Forgejo-Event}; pull
 * requests through {@code POST /api/v1/repos/{owner}/{repo}/pulls} (drafts by Gitea's {@code WIP:} title
 * prefix); CI from commit statuses (Gitea/Forgejo Actions report that way): a failure's details are the
 * commit's failed statuses ({@code GET /repos/{o}/{r}/commits/{sha}/statuses}); there is no re-run API.
 * REST base {@code DEKSDENFLOW_GITEA_API_BASE} (default: the git URL's host + {@code /api/v1}); token: the
 * project secret {@code GITEA_TOKEN}.
 */
@Component
@Order(3)
public class GiteaForge implements Forge {
    public static final String ID = "gitea";
    public static final String TOKEN = "GITEA_TOKEN";
    /** Gitea and Forgejo mark a pull request as work in progress by this title prefix. */
    static final String DRAFT_PREFIX = "WIP: ";
    private static final Set<String> FAILED = Set.of("failure", "error");
    private static final Logger log = LoggerFactory.getLogger(GiteaForge.class);

    private final GiteaSettings settings;
    private final ForgeHttp http;

    public GiteaForge(GiteaSettings settings, ForgeHttp http) {
        this.settings = settings;
        this.http = http;
    }

    @Override public String id() { return ID; }
    @Override public String displayName() { return "Gitea/Forgejo"; }
    @Override public String changeRequestNoun() { return "pull request"; }
    @Override public String changeRequestShort() { return "PR"; }
    @Override public String tokenSecret() { return TOKEN; }
    @Override public String cloneUser() { return "oauth2"; }

    @Override
    public String webhookEvent(UnaryOperator<String> headers) {
        return either(headers, "X-Gitea-Event", "X-Forgejo-Event");
    }

    @Override
    public String webhookDeliveryId(UnaryOperator<String> headers) {
        return either(headers, "X-Gitea-Delivery", "X-Forgejo-Delivery");
    }

    @Override
    public String webhookCredential(UnaryOperator<String> headers) {
        return either(headers, "X-Gitea-Signature", "X-Forgejo-Signature");
    }

    @Override
    public boolean verifies(String secret, String credential, byte[] body) {
        return Signatures.hmacSha256HexMatches(secret, body, credential);
    }

    /** The {@code X-Gitea-Signature} value Gitea would send for {@code body} (for senders and tests). */
    public static String signature(String secret, byte[] body) {
        return Signatures.hmacSha256Hex(secret, body);
    }

    @Override
    public Optional<CiStatus> translate(String event, JsonNode payload) {
        return GiteaTranslator.translate(event, payload);
    }

    @Override
    public Optional<BaseEvent> baseEvent(String event, JsonNode payload) {
        return GiteaTranslator.baseEvent(event, payload);
    }

    @Override
    public Optional<IssueEvent> issueEvent(String event, JsonNode payload) {
        return GiteaIssues.issueEvent(event, payload);
    }

    @Override
    public Optional<CommentEvent> commentEvent(String event, JsonNode payload) {
        return GiteaIssues.commentEvent(event, payload);
    }

    /** The collaborator-permission API: write, admin or owner. */
    @Override
    public boolean canWrite(ForgeRepo repo, CommentEvent comment) throws ForgeException {
        try {
            JsonNode p = http.json(request(repo, "/collaborators/" + ForgeHttp.enc(comment.author()) + "/permission").GET(), "Gitea");
            return Set.of("write", "admin", "owner").contains(p.path("permission").asText(""));
        } catch (ForgeException e) {
            if (e.status() == 404 || e.status() == 403 && e.retryAt() == null) return false;
            throw e;
        }
    }

    @Override
    public ChangeRequest openChangeRequest(ForgeRepo repo, String head, String base, String title, String body) {
        try {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("head", head);
            req.put("base", base);
            req.put("title", DRAFT_PREFIX + title);
            req.put("body", body);
            try {
                return opened(http.json(request(repo, "/pulls").header("Content-Type", "application/json")
                        .POST(http.body(req)), "Gitea"));
            } catch (ForgeException e) {
                if (e.status() != 409 && e.status() != 422) throw e;
            }
            // already open: Gitea answers 409 ("pull request already exists for these targets")
            for (int page = 1; page <= 5; page++) {
                JsonNode open = http.json(request(repo, "/pulls?state=open&limit=50&page=" + page).GET(), "Gitea");
                for (JsonNode pr : open) {
                    if (head.equals(pr.path("head").path("ref").asText())) return opened(pr);
                }
                if (!open.isArray() || open.size() < 50) break;
            }
            throw new ForgeException("Gitea API answered 409: a pull request exists but none is open for " + head, 409);
        } catch (ForgeException e) {
            throw ForgeHttp.jobError(e);
        }
    }

    @Override
    public List<CiFailure> ciFailures(ForgeRepo repo, Map<String, Object> ciRef, int lines) {
        String sha = str(ciRef, "head_sha");
        if (sha == null) return List.of(CiRefs.fromPayload(repo, ciRef, null, lines));
        try {
            JsonNode statuses = http.json(request(repo, "/commits/" + ForgeHttp.enc(sha) + "/statuses?limit=50").GET(), "Gitea");
            List<CiFailure> out = new ArrayList<>();
            for (JsonNode s : statuses) {
                if (!FAILED.contains(s.path("status").asText(s.path("state").asText())) || out.size() >= CiRefs.MAX_JOBS) continue;
                String text = s.path("description").asText("") + "\n(Gitea/Forgejo offer no log through their API: see "
                        + s.path("target_url").asText("the status's page") + ")\n";
                out.add(new CiFailure(s.path("context").asText(null), null, s.path("target_url").asText(null),
                        CiRefs.excerpt(repo, text, lines)));
            }
            return out.isEmpty() ? List.of(CiRefs.fromPayload(repo, ciRef, null, lines)) : out;
        } catch (ForgeException e) {
            log.warn("CI triage: {}", LogText.escape(e.getMessage()));
            return List.of(CiRefs.fromPayload(repo, ciRef, e.getMessage(), lines));
        }
    }

    @Override
    public String rerunFailedJobs(ForgeRepo repo, Map<String, Object> ciRef) {
        return "Gitea/Forgejo have no API to re-run a commit status's jobs";
    }

    @Override
    public long postComment(ForgeRepo repo, CommentOn on, long number, String body) throws ForgeException {
        // pull requests are issues on Gitea: one comment API for both
        JsonNode c = http.json(request(repo, "/issues/" + number + "/comments").header("Content-Type", "application/json")
                .POST(http.body(Map.of("body", body))), "Gitea");
        return c.path("id").asLong();
    }

    @Override
    public void editComment(ForgeRepo repo, CommentOn on, long number, long commentId, String body) throws ForgeException {
        http.json(request(repo, "/issues/comments/" + commentId).header("Content-Type", "application/json")
                .method("PATCH", http.body(Map.of("body", body))), "Gitea");
    }

    @Override
    public Optional<Long> findComment(ForgeRepo repo, CommentOn on, long number, String marker) throws ForgeException {
        for (int page = 1; page <= COMMENT_SCAN_LIMIT / 50; page++) {
            JsonNode list = http.json(request(repo, "/issues/" + number + "/comments?limit=50&page=" + page).GET(), "Gitea");
            for (JsonNode c : list) {
                if (c.path("body").asText("").contains(marker)) return Optional.of(c.path("id").asLong());
            }
            if (list.size() < 50) break;
        }
        return Optional.empty();
    }

    @Override
    public List<IssueEvent> openIssues(ForgeRepo repo, String label, int limit) throws ForgeException {
        List<IssueEvent> out = new ArrayList<>();
        for (int page = 1; out.size() < limit && page <= 20; page++) {
            JsonNode list = http.json(request(repo, "/issues?state=open&type=issues&limit=50&page=" + page
                    + "&labels=" + ForgeHttp.enc(label)).GET(), "Gitea");
            for (JsonNode issue : list) {
                if (out.size() >= limit || issue.path("pull_request").isObject()) continue;
                IssueEvent.of(ID, IssueEvent.Action.OPENED, issue.path("number").asLong(0), issue.path("title").asText(null),
                        issue.path("body").asText(""), issue.path("html_url").asText(null),
                        IssueEvent.names(issue.path("labels"), "name"), List.of(), repo.path(), List.of(repo.gitUrl()))
                        .ifPresent(out::add);
            }
            if (list.size() < 50) break;
        }
        return out;
    }

    @Override
    public List<Long> blockers(ForgeRepo repo, long number) throws ForgeException {
        try {
            JsonNode list = http.json(request(repo, "/issues/" + number + "/dependencies").GET(), "Gitea");
            List<Long> out = new ArrayList<>();
            for (JsonNode i : list) if (i.path("number").asLong(0) > 0) out.add(i.path("number").asLong());
            return out;
        } catch (ForgeException e) {
            if (e.status() == 404) return List.of();
            throw e;
        }
    }

    @Override
    public List<ReviewComment> reviewComments(ForgeRepo repo, long number) throws ForgeException {
        List<ReviewComment> out = new ArrayList<>();
        JsonNode reviews = http.json(request(repo, "/pulls/" + number + "/reviews").GET(), "Gitea");
        for (JsonNode r : reviews) {
            if (out.size() >= REVIEW_COMMENT_LIMIT) break;
            if (!"REQUEST_CHANGES".equalsIgnoreCase(r.path("state").asText()) || r.path("dismissed").asBoolean(false)) continue;
            if (!r.path("body").asText("").isBlank()) {
                out.add(new ReviewComment("review", r.path("id").asLong(), r.path("user").path("login").asText(null), id(r.path("user")),
                        null, null, null, r.path("body").asText("")));
            }
            for (JsonNode c : http.json(request(repo, "/pulls/" + number + "/reviews/" + r.path("id").asLong() + "/comments").GET(), "Gitea")) {
                if (out.size() >= REVIEW_COMMENT_LIMIT) break;
                JsonNode line = c.path("position").canConvertToInt() ? c.path("position") : c.path("original_position");
                out.add(new ReviewComment("comment", c.path("id").asLong(), c.path("user").path("login").asText(null), id(c.path("user")),
                        c.path("path").asText(null), line.canConvertToInt() ? line.asInt() : null, c.path("diff_hunk").asText(null),
                        c.path("body").asText("")));
            }
        }
        return out;
    }

    @Override
    public void addLabel(ForgeRepo repo, long number, String label) throws ForgeException {
        http.json(request(repo, "/issues/" + number + "/labels").header("Content-Type", "application/json")
                .POST(http.body(Map.of("labels", List.of(label)))), "Gitea");
    }

    @Override
    public Optional<IssueState> issueNow(ForgeRepo repo, long number) throws ForgeException {
        try {
            JsonNode issue = http.json(request(repo, "/issues/" + number).GET(), "Gitea");
            return Optional.of(new IssueState("open".equals(issue.path("state").asText()), IssueEvent.names(issue.path("labels"), "name")));
        } catch (ForgeException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }

    /** The API base: the setting, else {@code https://<git_url's host>/api/v1}. */
    String apiBase(ForgeRepo repo) throws ForgeException {
        if (!settings.apiBase().isEmpty()) return ForgeHttp.trim(settings.apiBase());
        String origin = repo.webOrigin();
        if (origin == null) {
            throw ForgeException.misconfigured("set DEKSDENFLOW_GITEA_API_BASE: git_url " + repo.gitUrl() + " names no Gitea/Forgejo host");
        }
        return origin + "/api/v1";
    }

    private HttpRequest.Builder request(ForgeRepo repo, String path) throws ForgeException {
        return ForgeHttp.request(apiBase(repo) + "/repos/" + repo.path() + path)
                .header("Authorization", "token " + repo.token(TOKEN)).header("Accept", "application/json");
    }

    private static ChangeRequest opened(JsonNode pr) {
        JsonNode n = pr.path("number");
        return new ChangeRequest(pr.path("html_url").asText(), n.canConvertToLong() && n.asLong() > 0 ? n.asLong() : null);
    }

    private static String either(UnaryOperator<String> headers, String gitea, String forgejo) {
        String v = headers.apply(gitea);
        return v == null || v.isBlank() ? headers.apply(forgejo) : v;
    }

    private static Long id(JsonNode user) {
        return user.path("id").canConvertToLong() ? user.path("id").asLong() : null;
    }
}
