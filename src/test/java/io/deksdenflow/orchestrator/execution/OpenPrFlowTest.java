package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.awaitility.Awaitility.await;

/** open_pr against local stand-ins of the GitHub and GitLab REST APIs, asserting the exact requests. */
class OpenPrFlowTest extends FlowTestBase {
    record Seen(String method, String path, String query, Map<String, String> headers, String body) {}

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();

    @org.springframework.beans.factory.annotation.Autowired
    io.deksdenflow.orchestrator.protocol.CiLoopStore ciLoop;
    static final HttpServer FORGE = start();

    static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                ex.getRequestHeaders().forEach((k, v) -> h.put(k, v.get(0)));
                String path = ex.getRequestURI().getRawPath();
                SEEN.add(new Seen(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), h, body));
                int status;
                String answer;
                if (path.startsWith("/gh/") && ex.getRequestMethod().equals("POST")) {
                    boolean second = body.contains("0002-");
                    status = second ? 422 : 201;
                    answer = second ? "{\"message\":\"Validation Failed\",\"errors\":[{\"message\":\"A pull request already exists for acme:0002-again.\"}]}"
                            : "{\"html_url\":\"https://github.example/acme/origin/pull/7\",\"number\":7}";
                } else if (path.startsWith("/gh/")) {
                    status = 200;
                    answer = "[{\"html_url\":\"https://github.example/acme/origin/pull/8\"}]";
                } else {
                    status = 201;
                    answer = "{\"web_url\":\"https://gitlab.example/grp/origin/-/merge_requests/3\",\"id\":903,\"iid\":3}";
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(status, bytes.length);
                ex.getResponseBody().write(bytes);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void forge(DynamicPropertyRegistry r) {
        r.add("deksdenflow.github.api-base", () -> "http://127.0.0.1:" + FORGE.getAddress().getPort() + "/gh");
        r.add("deksdenflow.gitlab.api-base", () -> "http://127.0.0.1:" + FORGE.getAddress().getPort() + "/gl/api/v4");
    }

    @AfterAll
    static void stop() {
        FORGE.stop(0);
    }

    private long plannedProtocol(Http http, String owner, String provider, String secret, String name) {
        agentScript("{\"modes\":{\"planning\":\"plan\"},\"steps\":1}");
        long projectId = readyProject(http, origin(owner), Map.of("ci_provider", provider,
                "secrets", Map.of(secret, "forge-token-123"))).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name, "description", "Add login"))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        awaitProtocol(http, id, "planned");
        return id;
    }

    @Test
    void githubDraftPullRequest() throws Exception {
        Http http = http();
        long id = plannedProtocol(http, "acme", "github", "GITHUB_TOKEN", "0001-login");
        SEEN.clear();
        assertThat(http.post("/protocols/" + id + "/actions/open_pr", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/protocols/" + id).json().path("pr_url").isNull());
        assertThat(http.get("/protocols/" + id).json().path("pr_url").asText()).isEqualTo("https://github.example/acme/origin/pull/7");
        Seen post = SEEN.get(0);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/gh/repos/acme/origin/pulls");
        assertThat(post.headers().get("Authorization")).isEqualTo("Bearer forge-token-123");
        assertThat(post.headers().get("Accept")).isEqualTo("application/vnd.github+json");
        JsonNode body = new ObjectMapper().readTree(post.body());
        assertThat(body.path("head").asText()).isEqualTo("0001-login");
        assertThat(body.path("base").asText()).isEqualTo("main");
        assertThat(body.path("draft").asBoolean()).isTrue();
        assertThat(body.path("title").asText()).isEqualTo("0001-login: Add login");
        assertThat(event(http, id, "pr_opened").path("metadata").path("url").asText()).endsWith("/pull/7");
        assertThat(event(http, id, "pr_opened").path("metadata").path("number").asLong()).isEqualTo(7);
        assertThat(ciLoop.prNumber(id)).contains(7L);
    }

    @Test
    void githubAlreadyOpenCountsAsSuccess() {
        Http http = http();
        long id = plannedProtocol(http, "acme", "github", "GITHUB_TOKEN", "0002-again");
        SEEN.clear();
        http.post("/protocols/" + id + "/actions/open_pr", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/protocols/" + id).json().path("pr_url").isNull());
        assertThat(http.get("/protocols/" + id).json().path("pr_url").asText()).endsWith("/pull/8");
        Seen list = SEEN.get(1);
        assertThat(list.method()).isEqualTo("GET");
        assertThat(list.query()).contains("head=acme%3A0002-again").contains("state=open");
        assertThat(eventTypes(http, id)).doesNotContain("job_failed");
    }

    @Test
    void gitlabDraftMergeRequest() throws Exception {
        Http http = http();
        long id = plannedProtocol(http, "grp", "gitlab", "GITLAB_TOKEN", "0003-mr");
        SEEN.clear();
        http.post("/protocols/" + id + "/actions/open_pr", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/protocols/" + id).json().path("pr_url").isNull());
        Seen post = SEEN.get(0);
        assertThat(post.path()).isEqualTo("/gl/api/v4/projects/grp%2Forigin/merge_requests");
        assertThat(post.headers().get("PRIVATE-TOKEN")).isEqualTo("forge-token-123");
        JsonNode body = new ObjectMapper().readTree(post.body());
        assertThat(body.path("source_branch").asText()).isEqualTo("0003-mr");
        assertThat(body.path("target_branch").asText()).isEqualTo("main");
        assertThat(body.path("title").asText()).isEqualTo("Draft: 0003-mr: Add login");
        assertThat(http.get("/protocols/" + id).json().path("pr_url").asText()).endsWith("/merge_requests/3");
        // the MR's iid, not its global id: GitLab's job hooks name refs/merge-requests/<iid>/head
        assertThat(ciLoop.prNumber(id)).contains(3L);
    }
}
