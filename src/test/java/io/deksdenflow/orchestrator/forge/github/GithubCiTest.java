package io.deksdenflow.orchestrator.forge.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.deksdenflow.orchestrator.forge.CiFailure;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forge client without Spring, against a local GitHub stand-in: check suites and check runs
 * (output, annotations, Actions logs), commit statuses, and API errors turned into text.
 */
class GithubCiTest {
    static final String TOKEN = "ghp_" + "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8";
    final List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer server;
    GithubForge forge;
    ForgeRepo project = new ForgeRepo("p", "https://github.com/acme/demo.git", Map.of("GITHUB_TOKEN", TOKEN));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getRawPath();
            seen.add(ex.getRequestMethod() + " " + path);
            int status = 200;
            String body;
            String repo = "/repos/acme/demo";
            if (path.equals(repo + "/check-suites/7/check-runs")) {
                body = "{\"check_runs\":[{\"id\":11,\"name\":\"lint\",\"conclusion\":\"failure\",\"html_url\":\"https://github.com/acme/demo/runs/11\","
                        + "\"app\":{\"slug\":\"some-linter\"},\"output\":{\"title\":\"3 problems\",\"summary\":\"no-unused-vars in app.js\"}},"
                        + "{\"id\":12,\"name\":\"build\",\"conclusion\":\"success\"}]}";
            } else if (path.equals(repo + "/check-runs/11/annotations")) {
                body = "[{\"path\":\"app.js\",\"start_line\":3,\"annotation_level\":\"warning\",\"message\":\"'x' is unused\"}]";
            } else if (path.equals(repo + "/check-runs/13")) {
                body = "{\"id\":13,\"name\":\"test (ubuntu)\",\"conclusion\":\"failure\",\"html_url\":\"https://github.com/acme/demo/runs/13\","
                        + "\"app\":{\"slug\":\"github-actions\"},\"output\":{\"title\":null,\"summary\":null}}";
            } else if (path.equals(repo + "/check-runs/13/annotations")) {
                body = "[]";
            } else if (path.equals(repo + "/actions/jobs/13/logs")) {
                status = 410;
                body = "{\"message\":\"Logs have expired\"}";
            } else {
                status = 401;
                body = "{\"message\":\"Bad credentials\"}";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        forge = new GithubForge(new GithubSettings("http://127.0.0.1:" + server.getAddress().getPort()),
                new ForgeHttp(new ObjectMapper()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aCheckSuiteGivesItsFailedCheckRunsWithOutputAndAnnotations() {
        List<CiFailure> f = forge.ciFailures(project, Map.of("provider", "github", "event_kind", "check_suite",
                "run_id", "7", "check_name", "GitHub Actions"), 200);
        assertThat(f).hasSize(1);
        assertThat(f.get(0).job()).isEqualTo("lint");
        assertThat(f.get(0).url()).isEqualTo("https://github.com/acme/demo/runs/11");
        assertThat(f.get(0).excerpt()).contains("3 problems", "no-unused-vars in app.js", "warning: app.js:3 'x' is unused");
        // not an Actions job: no log is asked for
        assertThat(seen).containsExactly("GET /repos/acme/demo/check-suites/7/check-runs",
                "GET /repos/acme/demo/check-runs/11/annotations");
    }

    @Test
    void anActionsCheckRunWhoseLogExpiredSaysSo() {
        List<CiFailure> f = forge.ciFailures(project, Map.of("provider", "github", "event_kind", "check_run",
                "run_id", "13"), 200);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.job()).isEqualTo("test (ubuntu)");
            assertThat(x.excerpt()).contains("log unavailable: 410", "Logs have expired");
        });
        assertThat(seen).contains("GET /repos/acme/demo/actions/jobs/13/logs");
    }

    @Test
    void aCommitStatusOrAnApiErrorFallsBackToWhatTheDeliverySaid() {
        List<CiFailure> status = forge.ciFailures(project, Map.of("provider", "github", "event_kind", "status",
                "check_name", "ci/jenkins", "summary", "Build #12 failed", "url", "https://ci.example/12"), 200);
        assertThat(status).containsExactly(new CiFailure("ci/jenkins", null, "https://ci.example/12", "Build #12 failed"));
        assertThat(seen).isEmpty();

        List<CiFailure> denied = forge.ciFailures(project, Map.of("provider", "github", "event_kind", "workflow_run",
                "run_id", "99", "check_name", "CI", "url", "https://github.com/acme/demo/actions/runs/99"), 200);
        assertThat(denied).singleElement().satisfies(x -> {
            assertThat(x.job()).isEqualTo("CI");
            assertThat(x.excerpt()).contains("could not be fetched: GitHub API answered 401", "Bad credentials")
                    .doesNotContain(TOKEN);
        });
    }

    @Test
    void withoutTheTokenNothingIsAsked() {
        ForgeRepo bare = new ForgeRepo("q", "https://github.com/acme/demo.git", Map.of());
        List<CiFailure> f = forge.ciFailures(bare, Map.of("provider", "github", "event_kind", "workflow_run", "run_id", "1"), 200);
        assertThat(f.get(0).excerpt()).contains("secret GITHUB_TOKEN is not set");
        assertThat(forge.rerunFailedJobs(bare, Map.of("provider", "github", "event_kind", "workflow_run", "run_id", "1")))
                .contains("GITHUB_TOKEN");
        assertThat(seen).isEmpty();
    }
}
