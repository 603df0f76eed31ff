package io.deksdenflow.orchestrator.forge.gitlab;

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
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * GitLab (gitlab.com or self-managed through {@code DEKSDENFLOW_GITLAB_API_BASE}): webhooks carrying the
 * shared secret in {@code X-Gitlab-Token}, draft merge requests, CI triage from a pipeline's failed jobs
 * ({@code GET /projects/:id/pipelines/:pid/jobs?scope[]=failed}) and their traces ({@code GET
 * /projects/:id/jobs/:job_id/trace}), retries ({@code POST .../pipelines/:id/retry}, {@code .../jobs/:id/retry}),
 * notes; the token is the project secret {@code GITLAB_TOKEN}.
 */
@Component
@Order(2)
public class GitlabForge implements Forge {
    public static final String ID = "gitlab";
    /** GitLab's access level of a Developer: the least that may push to the repository. */
    static final int DEVELOPER = 30;
    public static final String TOKEN = "GITLAB_TOKEN";
    private static final Logger log = LoggerFactory.getLogger(GitlabForge.class);

    private final GitlabSettings settings;
    private final ForgeHttp http;

    public GitlabForge(GitlabSettings settings, ForgeHttp http) {
        this.settings = settings;
        this.http = http;
    }

    @Override public String id() { return ID; }
    @Override public String displayName() { return "GitLab"; }
    @Override public String changeRequestNoun() { return "merge request"; }
    @Override public String changeRequestShort() { return "MR"; }
    @Override public String tokenSecret() { return TOKEN; }
    @Override public String cloneUser() { return "oauth2"; }

    @Override
    public String webhookEvent(UnaryOperator<String> headers) {
        return headers.apply("X-Gitlab-Event");
    }

    @Override
    public String webhookDeliveryId(UnaryOperator<String> headers) {
        String key = headers.apply("Idempotency-Key");
        return key == null || key.isBlank() ? headers.apply("X-Gitlab-Event-UUID") : key;
    }

    @Override
    public String webhookCredential(UnaryOperator<String> headers) {
        return headers.apply("X-Gitlab-Token");
    }

    @Override
    public boolean verifies(String secret, String credential, byte[] body) {
        return Signatures.tokenMatches(secret, credential);
    }

    @Override
    public Optional<CiStatus> translate(String event, JsonNode payload) {
        return GitlabTranslator.translate(event, payload);
    }

    @Override
    public Optional<BaseEvent> baseEvent(String event, JsonNode payload) {
        return GitlabTranslator.baseEvent(event, payload);
    }

    @Override
    public Optional<IssueEvent> issueEvent(String event, JsonNode payload) {
        return GitlabIssues.issueEvent(event, payload);
    }

    @Override
    public Optional<CommentEvent> commentEvent(String event, JsonNode payload) {
        return GitlabIssues.commentEvent(event, payload);
    }

    /** A member (direct or inherited) with access level Developer (30) or above. */
    @Override
    public boolean canWrite(ForgeRepo repo, CommentEvent comment) throws ForgeException {
        if (comment.authorId() == null) return false;
        try {
            JsonNode m = http.json(request(repo, "/members/all/" + comment.authorId()).GET(), "GitLab");
            return m.path("access_level").asInt(0) >= DEVELOPER;
        } catch (ForgeException e) {
            if (e.status() == 404) return false;
            throw e;
        }
    }

    @Override
    public ChangeRequest openChangeRequest(ForgeRepo repo, String head, String base, String title, String body) {
        try {
            Map<String, Object> req = new LinkedHashMap<>();
            req.put("source_branch", head);
            req.put("target_branch", base);
            req.put("title", "Draft: " + title);
            req.put("description", body);
            try {
                return opened(http.json(request(repo, "/merge_requests").header("Content-Type", "application/json")
                        .POST(http.body(req)), "GitLab"));
            } catch (ForgeException e) {
                if (e.status() != 409) throw e;
            }
            JsonNode open = http.json(request(repo, "/merge_requests?state=opened&source_branch=" + ForgeHttp.enc(head)).GET(),
                    "GitLab");
            if (open.isArray() && !open.isEmpty()) return opened(open.get(0));
            throw new ForgeException("GitLab API answered 409: a merge request exists but none is open for " + head, 409);
        } catch (ForgeException e) {
            throw ForgeHttp.jobError(e);
        }
    }

    @Override
    public List<CiFailure> ciFailures(ForgeRepo repo, Map<String, Object> ciRef, int lines) {
        String kind = String.valueOf(str(ciRef, "event_kind"));
        String id = str(ciRef, "run_id");
        if (id == null) return List.of(CiRefs.fromPayload(repo, ciRef, null, lines));
        try {
            return switch (kind) {
                case "pipeline" -> pipeline(repo, id, lines);
                case "job" -> List.of(job(repo, id, str(ciRef, "check_name"), str(ciRef, "title"), str(ciRef, "url"), lines));
                default -> List.of(CiRefs.fromPayload(repo, ciRef, null, lines));
            };
        } catch (ForgeException e) {
            log.warn("CI triage: {}", LogText.escape(e.getMessage()));
            return List.of(CiRefs.fromPayload(repo, ciRef, e.getMessage(), lines));
        }
    }

    @Override
    public String rerunFailedJobs(ForgeRepo repo, Map<String, Object> ciRef) {
        String kind = String.valueOf(str(ciRef, "event_kind"));
        String id = str(ciRef, "run_id");
        try {
            if (id != null && kind.equals("pipeline")) {
                return http.postNothing(request(repo, "/pipelines/" + ForgeHttp.enc(id) + "/retry"), "GitLab");
            }
            if (id != null && kind.equals("job")) {
                return http.postNothing(request(repo, "/jobs/" + ForgeHttp.enc(id) + "/retry"), "GitLab");
            }
            return "a " + kind + " cannot be re-run through the API";
        } catch (ForgeException e) {
            return e.getMessage();
        }
    }

    @Override
    public long postComment(ForgeRepo repo, CommentOn on, long number, String body) throws ForgeException {
        JsonNode n = http.json(request(repo, notes(on, number)).header("Content-Type", "application/json")
                .POST(http.body(Map.of("body", body))), "GitLab");
        return n.path("id").asLong();
    }

    @Override
    public void editComment(ForgeRepo repo, CommentOn on, long number, long commentId, String body) throws ForgeException {
        http.json(request(repo, notes(on, number) + "/" + commentId).header("Content-Type", "application/json")
                .PUT(http.body(Map.of("body", body))), "GitLab");
    }

    @Override
    public Optional<Long> findComment(ForgeRepo repo, CommentOn on, long number, String marker) throws ForgeException {
        for (int page = 1; page <= COMMENT_SCAN_LIMIT / 100; page++) {
            JsonNode list = http.json(request(repo, notes(on, number) + "?sort=asc&order_by=created_at&per_page=100&page=" + page)
                    .GET(), "GitLab");
            for (JsonNode n : list) {
                if (n.path("body").asText("").contains(marker)) return Optional.of(n.path("id").asLong());
            }
            if (list.size() < 100) break;
        }
        return Optional.empty();
    }

    @Override
    public List<IssueEvent> openIssues(ForgeRepo repo, String label, int limit) throws ForgeException {
        List<IssueEvent> out = new ArrayList<>();
        for (int page = 1; out.size() < limit && page <= 10; page++) {
            JsonNode list = http.json(request(repo, "/issues?state=opened&confidential=false&order_by=created_at&sort=asc"
                    + "&per_page=100&page=" + page + "&labels=" + ForgeHttp.enc(label)).GET(), "GitLab");
            for (JsonNode issue : list) {
                if (out.size() >= limit || issue.path("confidential").asBoolean(false)) continue;
                List<String> labels = new ArrayList<>();
                issue.path("labels").forEach(l -> labels.add(l.isTextual() ? l.asText() : l.path("name").asText(null)));
                IssueEvent.of(ID, IssueEvent.Action.OPENED, issue.path("iid").asLong(0), issue.path("title").asText(null),
                        issue.path("description").asText(""), issue.path("web_url").asText(null), labels, List.of(),
                        repo.path(), List.of(repo.gitUrl())).ifPresent(out::add);
            }
            if (list.size() < 100) break;
        }
        return out;
    }

    @Override
    public List<Long> blockers(ForgeRepo repo, long number) throws ForgeException {
        try {
            JsonNode list = http.json(request(repo, "/issues/" + number + "/links").GET(), "GitLab");
            List<Long> out = new ArrayList<>();
            for (JsonNode i : list) {
                // a link from another project names an iid of that project: only this project's count
                String web = i.path("web_url").asText("");
                boolean here = web.isEmpty() || web.contains("/" + repo.path() + "/-/issues/");
                if ("is_blocked_by".equals(i.path("link_type").asText()) && here && i.path("iid").asLong(0) > 0) {
                    out.add(i.path("iid").asLong());
                }
            }
            return out;
        } catch (ForgeException e) {
            if (e.status() == 404) return List.of();
            throw e;
        }
    }

    @Override
    public List<ReviewComment> reviewComments(ForgeRepo repo, long number) throws ForgeException {
        List<ReviewComment> out = new ArrayList<>();
        JsonNode discussions = http.json(request(repo, "/merge_requests/" + number + "/discussions?per_page=100").GET(), "GitLab");
        for (JsonNode d : discussions) {
            for (JsonNode n : d.path("notes")) {
                if (out.size() >= REVIEW_COMMENT_LIMIT) break;
                if (n.path("system").asBoolean(false) || !"DiffNote".equals(n.path("type").asText())
                        || n.path("resolved").asBoolean(false)) {
                    continue;
                }
                JsonNode pos = n.path("position");
                JsonNode line = pos.path("new_line").canConvertToInt() ? pos.path("new_line") : pos.path("old_line");
                out.add(new ReviewComment("comment", n.path("id").asLong(), n.path("author").path("username").asText(null), id(n.path("author")),
                        pos.path("new_path").asText(pos.path("old_path").asText(null)), line.canConvertToInt() ? line.asInt() : null,
                        null, n.path("body").asText("")));
            }
        }
        return out;
    }

    @Override
    public void addLabel(ForgeRepo repo, long number, String label) throws ForgeException {
        http.json(request(repo, "/merge_requests/" + number + "?add_labels=" + ForgeHttp.enc(label))
                .method("PUT", HttpRequest.BodyPublishers.noBody()), "GitLab");
    }

    @Override
    public Optional<IssueState> issueNow(ForgeRepo repo, long number) throws ForgeException {
        try {
            JsonNode issue = http.json(request(repo, "/issues/" + number).GET(), "GitLab");
            List<String> labels = new ArrayList<>();
            issue.path("labels").forEach(l -> labels.add(l.isTextual() ? l.asText() : l.path("name").asText(null)));
            return Optional.of(new IssueState("opened".equals(issue.path("state").asText()), labels));
        } catch (ForgeException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }

    /** Issues and merge requests have their own iid spaces and notes. */
    private static String notes(CommentOn on, long number) {
        return (on == CommentOn.ISSUE ? "/issues/" : "/merge_requests/") + number + "/notes";
    }

    private List<CiFailure> pipeline(ForgeRepo repo, String pipelineId, int lines) throws ForgeException {
        JsonNode jobs = http.json(request(repo, "/pipelines/" + ForgeHttp.enc(pipelineId)
                + "/jobs?scope%5B%5D=failed&per_page=100").GET(), "GitLab");
        List<CiFailure> out = new ArrayList<>();
        for (JsonNode job : jobs) {
            if (job.path("allow_failure").asBoolean(false) || out.size() >= CiRefs.MAX_JOBS) continue;
            out.add(job(repo, job.path("id").asText(), job.path("name").asText(null), job.path("stage").asText(null),
                    job.path("web_url").asText(null), lines));
        }
        return out;
    }

    private CiFailure job(ForgeRepo repo, String jobId, String name, String stage, String url, int lines) {
        String text;
        try {
            HttpResponse<InputStream> r = http.send(request(repo, "/jobs/" + ForgeHttp.enc(jobId) + "/trace").GET(), "GitLab");
            text = r.statusCode() == 200 ? ForgeHttp.boundedText(r.body())
                    : "(trace unavailable: " + r.statusCode() + " " + ForgeHttp.cut(ForgeHttp.drain(r)) + ")";
        } catch (ForgeException | IOException e) {
            text = "(trace unavailable: " + e.getMessage() + ")";
        }
        return new CiFailure(name, stage, url, CiRefs.excerpt(repo, text, lines));
    }

    /** A REST request about the project ({@code apiBase/projects/<url-encoded path>} + {@code path}) with its token. */
    private HttpRequest.Builder request(ForgeRepo repo, String path) throws ForgeException {
        return ForgeHttp.request(ForgeHttp.trim(settings.apiBase()) + "/projects/" + ForgeHttp.enc(repo.path()) + path)
                .header("PRIVATE-TOKEN", repo.token(TOKEN));
    }

    private static ChangeRequest opened(JsonNode mr) {
        JsonNode n = mr.path("iid");
        return new ChangeRequest(mr.path("web_url").asText(), n.canConvertToLong() && n.asLong() > 0 ? n.asLong() : null);
    }

    private static Long id(JsonNode user) {
        return user.path("id").canConvertToLong() ? user.path("id").asLong() : null;
    }
}
