package io.deksdenflow.orchestrator.forge.github;

import static io.deksdenflow.orchestrator.forge.CiRefs.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.common.LogText;
import io.deksdenflow.orchestrator.forge.CiFailure;
import io.deksdenflow.orchestrator.forge.CiRefs;
import io.deksdenflow.orchestrator.forge.ForgeException;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GitHub CI failure's details: a workflow run's failed jobs and steps ({@code GET
 * /repos/{o}/{r}/actions/runs/{id}/jobs}), each job's log ({@code GET /repos/{o}/{r}/actions/jobs/{job_id}/logs},
 * a redirect to the text, followed without the token), check runs' output and annotations; and re-runs
 * ({@code POST .../actions/runs/{id}/rerun-failed-jobs}, a check run: {@code .../actions/jobs/{id}/rerun}).
 */
final class GithubCi {
    private static final Logger log = LoggerFactory.getLogger(GithubCi.class);
    private static final Set<String> FAILED = Set.of("failure", "timed_out", "startup_failure", "failed");

    private final GithubForge forge;
    private final ForgeHttp http;

    GithubCi(GithubForge forge, ForgeHttp http) {
        this.forge = forge;
        this.http = http;
    }

    List<CiFailure> failures(ForgeRepo repo, Map<String, Object> ciRef, int lines) {
        String kind = String.valueOf(str(ciRef, "event_kind"));
        String id = str(ciRef, "run_id");
        if (id == null) return List.of(CiRefs.fromPayload(repo, ciRef, null, lines));
        try {
            Run run = new Run(repo, lines);
            return switch (kind) {
                case "workflow_run" -> run.workflowRun(id);
                case "check_suite" -> run.checkRuns("/check-suites/" + ForgeHttp.enc(id) + "/check-runs?filter=latest&per_page=100");
                case "check_run" -> run.checkRun(run.get("/check-runs/" + ForgeHttp.enc(id)));
                default -> List.of(CiRefs.fromPayload(repo, ciRef, null, lines));
            };
        } catch (ForgeException e) {
            log.warn("CI triage: {}", LogText.escape(e.getMessage()));
            return List.of(CiRefs.fromPayload(repo, ciRef, e.getMessage(), lines));
        }
    }

    String rerun(ForgeRepo repo, Map<String, Object> ciRef) {
        String kind = String.valueOf(str(ciRef, "event_kind"));
        String id = str(ciRef, "run_id");
        try {
            if (id != null && kind.equals("workflow_run")) {
                return http.postNothing(forge.request(repo, repoPath(repo) + "/actions/runs/" + ForgeHttp.enc(id) + "/rerun-failed-jobs"), "GitHub");
            }
            if (id != null && kind.equals("check_run")) {
                return http.postNothing(forge.request(repo, repoPath(repo) + "/actions/jobs/" + ForgeHttp.enc(id) + "/rerun"), "GitHub");
            }
            return "a " + kind + " cannot be re-run through the API";
        } catch (ForgeException e) {
            return e.getMessage();
        }
    }

    private static String repoPath(ForgeRepo repo) {
        return "/repos/" + repo.path();
    }

    /** One triage: the repository and the excerpt size. */
    private final class Run {
        private final ForgeRepo repo;
        private final int lines;

        Run(ForgeRepo repo, int lines) throws ForgeException {
            this.repo = repo;
            this.lines = lines;
            repo.token(GithubForge.TOKEN);
        }

        JsonNode get(String path) throws ForgeException {
            return http.json(forge.request(repo, repoPath(repo) + path).GET(), "GitHub");
        }

        List<CiFailure> workflowRun(String runId) throws ForgeException {
            JsonNode jobs = get("/actions/runs/" + ForgeHttp.enc(runId) + "/jobs?filter=latest&per_page=100").path("jobs");
            List<CiFailure> out = new ArrayList<>();
            for (JsonNode job : jobs) {
                if (!FAILED.contains(job.path("conclusion").asText()) || out.size() >= CiRefs.MAX_JOBS) continue;
                List<String> steps = new ArrayList<>();
                for (JsonNode s : job.path("steps")) {
                    if (FAILED.contains(s.path("conclusion").asText())) steps.add(s.path("name").asText());
                }
                String id = job.path("id").asText();
                String text = annotations(id) + logOf(id);
                out.add(new CiFailure(job.path("name").asText(), steps.isEmpty() ? null : String.join(", ", steps),
                        job.path("html_url").asText(null), CiRefs.excerpt(repo, text, lines)));
            }
            return out;
        }

        List<CiFailure> checkRuns(String path) throws ForgeException {
            List<CiFailure> out = new ArrayList<>();
            for (JsonNode run : get(path).path("check_runs")) {
                if (FAILED.contains(run.path("conclusion").asText()) && out.size() < CiRefs.MAX_JOBS) out.addAll(checkRun(run));
            }
            return out;
        }

        /** A check run: its output, its annotations, and its log when GitHub Actions ran it (a job). */
        List<CiFailure> checkRun(JsonNode run) {
            String id = run.path("id").asText();
            StringBuilder text = new StringBuilder();
            for (String f : List.of("title", "summary", "text")) {
                String v = run.path("output").path(f).asText(null);
                if (v != null && !v.isBlank()) text.append(v).append('\n');
            }
            text.append(annotations(id));
            if ("github-actions".equals(run.path("app").path("slug").asText())) text.append(logOf(id));
            return List.of(new CiFailure(run.path("name").asText(), null, run.path("html_url").asText(null),
                    CiRefs.excerpt(repo, text.toString(), lines)));
        }

        private String annotations(String checkRunId) {
            try {
                StringBuilder sb = new StringBuilder();
                for (JsonNode a : get("/check-runs/" + ForgeHttp.enc(checkRunId) + "/annotations?per_page=50")) {
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
                String path = repoPath(repo) + "/actions/jobs/" + ForgeHttp.enc(jobId) + "/logs";
                HttpResponse<InputStream> r = http.send(forge.request(repo, path).GET(), "GitHub");
                if (r.statusCode() / 100 == 3) {
                    ForgeHttp.drain(r);
                    String location = r.headers().firstValue("Location").orElseThrow(
                            () -> new ForgeException("GitHub log redirect without a Location"));
                    r = http.send(HttpRequest.newBuilder(URI.create(forge.apiBase() + path).resolve(location)).timeout(Duration.ofSeconds(60)).GET(),
                            "GitHub log storage");
                }
                if (r.statusCode() != 200) {
                    String body = ForgeHttp.drain(r);
                    return "(log unavailable: " + r.statusCode() + " " + ForgeHttp.cut(body) + ")\n";
                }
                return ForgeHttp.boundedText(r.body());
            } catch (ForgeException | IOException | IllegalArgumentException e) {
                return "(log unavailable: " + e.getMessage() + ")\n";
            }
        }
    }
}
