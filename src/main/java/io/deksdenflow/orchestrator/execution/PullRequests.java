package io.deksdenflow.orchestrator.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Opens a draft pull request (GitHub REST) or draft merge request (GitLab REST) for a protocol's
 * branch; an already open one counts as success. Returns its web URL and number (GitLab: the MR's iid).
 */
@Component
class PullRequests {
    private static final Pattern REPO_PATH = Pattern.compile("^(?:https?://[^/]+/|ssh://[^/]+/|[^@]+@[^:]+:)(.+?)(?:\\.git)?/?$");
    private final Settings settings;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();

    public PullRequests(Settings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    /** An open PR/MR: its web page and its number (GitHub {@code number}, GitLab {@code iid}; null when not given). */
    public record Opened(String url, Long number) {}

    public Opened open(Project project, ProtocolRun run) {
        if (project.ciProvider() == null) {
            throw new JobFailure("project " + project.name() + " has no ci_provider (github or gitlab): cannot open a PR/MR");
        }
        String path = repoPath(project.gitUrl());
        String title = run.protocolName() + (run.description() == null || run.description().isBlank() ? ""
                : ": " + firstLine(run.description()));
        String body = "Protocol `" + run.protocolName() + "` run by DeksdenFlow.\n\nPlan: `.protocols/" + run.protocolName() + "/plan.md`";
        return switch (project.ciProvider()) {
            case "github" -> github(project, run, path, title, body);
            case "gitlab" -> gitlab(project, run, path, title, body);
            default -> throw new JobFailure("unknown ci_provider " + project.ciProvider());
        };
    }

    private Opened github(Project project, ProtocolRun run, String path, String title, String body) {
        String token = requireSecret(project, "GITHUB_TOKEN");
        String base = trim(settings.getGithubApiBase());
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("title", title);
        req.put("head", run.protocolName());
        req.put("base", run.baseBranch());
        req.put("body", body);
        req.put("draft", true);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/repos/" + path + "/pulls"))
                .header("Authorization", "Bearer " + token).header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(req))));
        if (r.statusCode() == 201) return opened(read(r), "html_url", "number");
        if (r.statusCode() == 422 && r.body().contains("already exists")) {
            String owner = path.substring(0, path.indexOf('/'));
            HttpResponse<String> list = send(HttpRequest.newBuilder(URI.create(base + "/repos/" + path + "/pulls?state=open&head="
                            + enc(owner + ":" + run.protocolName())))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28").GET());
            JsonNode items = read(list);
            if (list.statusCode() == 200 && items.isArray() && !items.isEmpty()) return opened(items.get(0), "html_url", "number");
        }
        throw failure("GitHub", r);
    }

    private Opened gitlab(Project project, ProtocolRun run, String path, String title, String body) {
        String token = requireSecret(project, "GITLAB_TOKEN");
        String base = trim(settings.getGitlabApiBase()) + "/projects/" + enc(path);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("source_branch", run.protocolName());
        req.put("target_branch", run.baseBranch());
        req.put("title", "Draft: " + title);
        req.put("description", body);
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/merge_requests"))
                .header("PRIVATE-TOKEN", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(write(req))));
        if (r.statusCode() == 201) return opened(read(r), "web_url", "iid");
        if (r.statusCode() == 409) {
            HttpResponse<String> list = send(HttpRequest.newBuilder(URI.create(base + "/merge_requests?state=opened&source_branch="
                    + enc(run.protocolName()))).header("PRIVATE-TOKEN", token).GET());
            JsonNode items = read(list);
            if (list.statusCode() == 200 && items.isArray() && !items.isEmpty()) return opened(items.get(0), "web_url", "iid");
        }
        throw failure("GitLab", r);
    }

    private static Opened opened(JsonNode pr, String urlField, String numberField) {
        JsonNode n = pr.path(numberField);
        return new Opened(pr.path(urlField).asText(), n.canConvertToLong() && n.asLong() > 0 ? n.asLong() : null);
    }

    /** owner/name (GitHub) or group/subgroup/name (GitLab) from the project's git URL. */
    static String repoPath(String gitUrl) {
        String u = gitUrl.trim();
        if (u.startsWith("file://") || u.startsWith("/")) {
            // local mirrors (and tests): the last two path segments name owner/repository
            String[] parts = u.replaceFirst("^file://", "").replaceAll("/+$", "").replaceAll("\\.git$", "").split("/");
            if (parts.length >= 2) return parts[parts.length - 2] + "/" + parts[parts.length - 1];
        }
        Matcher m = REPO_PATH.matcher(u);
        if (!m.matches() || !m.group(1).contains("/")) {
            throw new JobFailure("cannot tell owner/repository from git_url " + gitUrl);
        }
        return m.group(1);
    }

    private static String requireSecret(Project project, String key) {
        String v = project.secret(key);
        if (v == null || v.isBlank()) throw new JobFailure("secret " + key + " is not set on project " + project.name());
        return v;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("PR/MR API unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static RuntimeException failure(String provider, HttpResponse<String> r) {
        String body = r.body() == null ? "" : r.body();
        String msg = provider + " API answered " + r.statusCode() + ": " + (body.length() > 500 ? body.substring(0, 500) : body);
        // 4xx other than rate limits will not improve with a retry
        if (r.statusCode() >= 400 && r.statusCode() < 500 && r.statusCode() != 429) return new JobFailure(msg);
        return new IllegalStateException(msg);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode read(HttpResponse<String> r) {
        try {
            return json.readTree(r.body() == null || r.body().isBlank() ? "{}" : r.body());
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String trim(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 100) : line;
    }
}
