package io.deksdenflow.orchestrator.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.project.Project;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A CI failure's details from the forge's REST API, with the project's token: GitHub — a workflow run's
 * failed jobs and steps ({@code GET /repos/{o}/{r}/actions/runs/{id}/jobs}), each job's log ({@code GET
 * /repos/{o}/{r}/actions/jobs/{job_id}/logs}, a redirect to the text, followed without the token), check
 * runs' output and annotations; GitLab — a pipeline's failed jobs ({@code GET
 * /projects/:id/pipelines/:pid/jobs?scope[]=failed}) and each trace ({@code GET
 * /projects/:id/jobs/:job_id/trace}). Never throws for the forge's answers: what could not be fetched is
 * said in the excerpt. Also asks the forge to re-run the failed jobs.
 */
@Component
class ForgeCi {
    private static final Logger log = LoggerFactory.getLogger(ForgeCi.class);
    /** At most this many failed jobs are looked at per failure. */
    static final int MAX_JOBS = 5;
    /** Of a longer log only the first and the last this-many bytes are read. */
    static final int LOG_HEAD_BYTES = 2 * 1024 * 1024;
    static final int LOG_TAIL_BYTES = 4 * 1024 * 1024;
    private static final Set<String> FAILED = Set.of("failure", "timed_out", "startup_failure", "failed");

    private final Settings settings;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public ForgeCi(Settings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    /** One failed job: its name, the failed step (GitLab: the stage), its web page, the bounded log excerpt. */
    public record Failure(String job, String step, String url, String excerpt) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job", job);
            m.put("step", step);
            m.put("url", url);
            m.put("excerpt", excerpt);
            return m;
        }
    }

    /**
     * The failures of what {@code ciRef} names ({@code provider, event_kind, run_id, check_name, url, title,
     * summary} as the webhook recorded them).
     */
    public List<Failure> failures(Project project, Map<String, Object> ciRef) {
        String provider = str(ciRef, "provider");
        String kind = String.valueOf(str(ciRef, "event_kind"));
        String id = str(ciRef, "run_id");
        try {
            if ("github".equals(provider) && id != null) {
                Github gh = new Github(project);
                return switch (kind) {
                    case "workflow_run" -> gh.workflowRun(id);
                    case "check_suite" -> gh.checkRuns("/check-suites/" + seg(id) + "/check-runs?filter=latest&per_page=100");
                    case "check_run" -> gh.checkRun(gh.get("/check-runs/" + seg(id)));
                    default -> List.of(fromPayload(project, ciRef, null));
                };
            }
            if ("gitlab".equals(provider) && id != null) {
                Gitlab gl = new Gitlab(project);
                return switch (kind) {
                    case "pipeline" -> gl.pipeline(id);
                    case "job" -> List.of(gl.job(id, str(ciRef, "check_name"), str(ciRef, "title"), str(ciRef, "url")));
                    default -> List.of(fromPayload(project, ciRef, null));
                };
            }
            return List.of(fromPayload(project, ciRef, null));
        } catch (ForgeException e) {
            log.warn("CI triage: {}", LogText.escape(e.getMessage()));
            return List.of(fromPayload(project, ciRef, e.getMessage()));
        }
    }

    /**
     * Asks the forge to re-run the failed jobs of what {@code ciRef} names: GitHub {@code POST
     * .../actions/runs/{id}/rerun-failed-jobs} (a check run: {@code .../actions/jobs/{id}/rerun}), GitLab
     * {@code POST .../pipelines/{id}/retry} (a job: {@code .../jobs/{id}/retry}).
     *
     * @return null when requested, else why not
     */
    public String rerun(Project project, Map<String, Object> ciRef) {
        String provider = str(ciRef, "provider");
        String kind = String.valueOf(str(ciRef, "event_kind"));
        String id = str(ciRef, "run_id");
        try {
            if ("github".equals(provider) && id != null && kind.equals("workflow_run")) {
                return new Github(project).post("/actions/runs/" + seg(id) + "/rerun-failed-jobs");
            }
            if ("github".equals(provider) && id != null && kind.equals("check_run")) {
                return new Github(project).post("/actions/jobs/" + seg(id) + "/rerun");
            }
            if ("gitlab".equals(provider) && id != null && kind.equals("pipeline")) {
                return new Gitlab(project).post("/pipelines/" + seg(id) + "/retry");
            }
            if ("gitlab".equals(provider) && id != null && kind.equals("job")) {
                return new Gitlab(project).post("/jobs/" + seg(id) + "/retry");
            }
            return "a " + kind + " cannot be re-run through the API";
        } catch (ForgeException e) {
            return e.getMessage();
        }
    }

    /** What the delivery itself said, when the API has nothing more (a commit status) or failed. */
    private Failure fromPayload(Project project, Map<String, Object> ciRef, String problem) {
        StringBuilder text = new StringBuilder();
        for (String key : List.of("title", "summary")) {
            String v = str(ciRef, key);
            if (v != null && !v.isBlank()) text.append(v).append('\n');
        }
        if (problem != null) text.append("(the failed jobs' logs could not be fetched: ").append(problem).append(")\n");
        return new Failure(str(ciRef, "check_name"), null, str(ciRef, "url"), excerpt(project, text.toString()));
    }

    private String excerpt(Project project, String text) {
        return LogExcerpt.of(text, project.secrets().values(), settings.getCiLogExcerptLines());
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : String.valueOf(v);
    }

    /** An id as one URL path segment (digits on both forges; anything else is encoded, never a path). */
    private static String seg(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    static final class ForgeException extends Exception {
        ForgeException(String message) {
            super(message);
        }
    }

    // ---------------------------------------------------------------- GitHub

    private final class Github {
        private final Project project;
        private final String token;
        private final String repo;

        Github(Project project) throws ForgeException {
            this.project = project;
            this.token = token(project, "GITHUB_TOKEN");
            this.repo = trim(settings.getGithubApiBase()) + "/repos/" + PullRequests.repoPath(project.gitUrl());
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(repo + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28");
        }

        JsonNode get(String path) throws ForgeException {
            return readJson("GitHub", send(request(path).GET(), "GitHub"));
        }

        String post(String path) throws ForgeException {
            HttpResponse<InputStream> r = send(request(path).POST(HttpRequest.BodyPublishers.noBody()), "GitHub");
            String body = drain(r);
            return r.statusCode() / 100 == 2 ? null : "GitHub API answered " + r.statusCode() + ": " + cut(body);
        }

        List<Failure> workflowRun(String runId) throws ForgeException {
            JsonNode jobs = get("/actions/runs/" + seg(runId) + "/jobs?filter=latest&per_page=100").path("jobs");
            List<Failure> out = new ArrayList<>();
            for (JsonNode job : jobs) {
                if (!FAILED.contains(job.path("conclusion").asText()) || out.size() >= MAX_JOBS) continue;
                List<String> steps = new ArrayList<>();
                for (JsonNode s : job.path("steps")) {
                    if (FAILED.contains(s.path("conclusion").asText())) steps.add(s.path("name").asText());
                }
                String id = job.path("id").asText();
                String text = annotations(id) + logOf(id);
                out.add(new Failure(job.path("name").asText(), steps.isEmpty() ? null : String.join(", ", steps),
                        job.path("html_url").asText(null), excerpt(project, text)));
            }
            return out;
        }

        List<Failure> checkRuns(String path) throws ForgeException {
            List<Failure> out = new ArrayList<>();
            for (JsonNode run : get(path).path("check_runs")) {
                if (FAILED.contains(run.path("conclusion").asText()) && out.size() < MAX_JOBS) out.addAll(checkRun(run));
            }
            return out;
        }

        /** A check run: its output, its annotations, and its log when GitHub Actions ran it (a job). */
        List<Failure> checkRun(JsonNode run) throws ForgeException {
            String id = run.path("id").asText();
            StringBuilder text = new StringBuilder();
            for (String f : List.of("title", "summary", "text")) {
                String v = run.path("output").path(f).asText(null);
                if (v != null && !v.isBlank()) text.append(v).append('\n');
            }
            text.append(annotations(id));
            if ("github-actions".equals(run.path("app").path("slug").asText())) text.append(logOf(id));
            return List.of(new Failure(run.path("name").asText(), null, run.path("html_url").asText(null),
                    excerpt(project, text.toString())));
        }

        private String annotations(String checkRunId) {
            try {
                StringBuilder sb = new StringBuilder();
                for (JsonNode a : get("/check-runs/" + seg(checkRunId) + "/annotations?per_page=50")) {
                    sb.append(a.path("annotation_level").asText("notice")).append(": ")
                            .append(a.path("path").asText("")).append(':').append(a.path("start_line").asText(""))
                            .append(' ').append(a.path("message").asText("")).append('\n');
                }
                return sb.toString();
            } catch (ForgeException e) {
                return "";
            }
        }

        /** The job's log: the API answers with a redirect to the text, which is fetched without the token. */
        private String logOf(String jobId) {
            try {
                HttpResponse<InputStream> r = send(request("/actions/jobs/" + seg(jobId) + "/logs").GET(), "GitHub");
                if (r.statusCode() / 100 == 3) {
                    drain(r);
                    String location = r.headers().firstValue("Location").orElseThrow(
                            () -> new ForgeException("GitHub log redirect without a Location"));
                    r = send(HttpRequest.newBuilder(URI.create(repo).resolve(location)).timeout(Duration.ofSeconds(60)).GET(),
                            "GitHub log storage");
                }
                if (r.statusCode() != 200) {
                    String body = drain(r);
                    return "(log unavailable: " + r.statusCode() + " " + cut(body) + ")\n";
                }
                return boundedText(r.body());
            } catch (ForgeException | IOException | IllegalArgumentException e) {
                return "(log unavailable: " + e.getMessage() + ")\n";
            }
        }
    }

    // ---------------------------------------------------------------- GitLab

    private final class Gitlab {
        private final Project project;
        private final String token;
        private final String base;

        Gitlab(Project project) throws ForgeException {
            this.project = project;
            this.token = token(project, "GITLAB_TOKEN");
            this.base = trim(settings.getGitlabApiBase()) + "/projects/"
                    + URLEncoder.encode(PullRequests.repoPath(project.gitUrl()), StandardCharsets.UTF_8);
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("PRIVATE-TOKEN", token);
        }

        String post(String path) throws ForgeException {
            HttpResponse<InputStream> r = send(request(path).POST(HttpRequest.BodyPublishers.noBody()), "GitLab");
            String body = drain(r);
            return r.statusCode() / 100 == 2 ? null : "GitLab API answered " + r.statusCode() + ": " + cut(body);
        }

        List<Failure> pipeline(String pipelineId) throws ForgeException {
            JsonNode jobs = readJson("GitLab", send(request("/pipelines/" + seg(pipelineId)
                    + "/jobs?scope%5B%5D=failed&per_page=100").GET(), "GitLab"));
            List<Failure> out = new ArrayList<>();
            for (JsonNode job : jobs) {
                if (job.path("allow_failure").asBoolean(false) || out.size() >= MAX_JOBS) continue;
                out.add(job(job.path("id").asText(), job.path("name").asText(null), job.path("stage").asText(null),
                        job.path("web_url").asText(null)));
            }
            return out;
        }

        Failure job(String jobId, String name, String stage, String url) {
            String text;
            try {
                HttpResponse<InputStream> r = send(request("/jobs/" + seg(jobId) + "/trace").GET(), "GitLab");
                text = r.statusCode() == 200 ? boundedText(r.body())
                        : "(trace unavailable: " + r.statusCode() + " " + cut(drain(r)) + ")";
            } catch (ForgeException | IOException e) {
                text = "(trace unavailable: " + e.getMessage() + ")";
            }
            return new Failure(name, stage, url, excerpt(project, text));
        }
    }

    // ---------------------------------------------------------------- HTTP

    private static String token(Project project, String key) throws ForgeException {
        String v = project.secret(key);
        if (v == null || v.isBlank()) throw new ForgeException("secret " + key + " is not set on project " + project.name());
        return v;
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder b, String what) throws ForgeException {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ForgeException(what + " unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForgeException("interrupted");
        }
    }

    private JsonNode readJson(String provider, HttpResponse<InputStream> r) throws ForgeException {
        String body = drain(r);
        if (r.statusCode() != 200) throw new ForgeException(provider + " API answered " + r.statusCode() + ": " + cut(body));
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new ForgeException(provider + " API answered malformed JSON");
        }
    }

    private static String drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The log text: whole when small, else its head and its tail (errors come early, summaries late). */
    static String boundedText(InputStream body) throws IOException {
        try (InputStream in = body) {
            byte[] head = in.readNBytes(LOG_HEAD_BYTES);
            byte[] ring = new byte[LOG_TAIL_BYTES];
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) ring[(int) ((total + i) % LOG_TAIL_BYTES)] = buf[i];
                total += n;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(head);
            if (total > LOG_TAIL_BYTES) {
                out.write("\n…\n".getBytes(StandardCharsets.UTF_8));
                int start = (int) (total % LOG_TAIL_BYTES);
                out.write(ring, start, LOG_TAIL_BYTES - start);
                out.write(ring, 0, start);
            } else {
                out.write(ring, 0, (int) total);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static String cut(String s) {
        String t = s == null ? "" : s.strip();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private static String trim(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
