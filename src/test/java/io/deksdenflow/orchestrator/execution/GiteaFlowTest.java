package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.deksdenflow.orchestrator.forge.gitea.GiteaForge;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The third forge end to end, added as one package: a Gitea/Forgejo project is planned and executed by the
 * sandboxed stand-in agent, its draft pull request is opened on a local stand-in of Gitea's REST API, and
 * signed commit-status webhooks (Gitea's and Forgejo's headers) move the step: green → QA → completed;
 * red → triage from the commit's statuses → blocked. Every request the stand-in sees is asserted.
 */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + GiteaFlowTest.SECRET,
        "deksdenflow.auto-qa-on-ci=true", "deksdenflow.ci-autofix-attempts=0"})
class GiteaFlowTest extends FlowTestBase {
    static final String SECRET = "gitea-hook-secret";
    static final String TOKEN = "gitea-token-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();

    record Seen(String method, String path, String query, Map<String, String> headers, String body) {}

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    static final HttpServer GITEA = start();

    @Autowired
    CiLoopStore ciLoop;

    static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                ex.getRequestHeaders().forEach((k, v) -> h.put(k, v.get(0)));
                String path = ex.getRequestURI().getRawPath();
                SEEN.add(new Seen(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), h, body));
                int status = 200;
                String answer;
                if (ex.getRequestMethod().equals("POST") && path.matches("/api/v1/repos/\\w+/origin/pulls")) {
                    status = 201;
                    answer = "{\"id\":991,\"number\":5,\"html_url\":\"https://codeberg.example/acme/origin/pulls/5\"}";
                } else if (path.matches("/api/v1/repos/\\w+/origin/commits/[0-9a-f]{40}/statuses")) {
                    answer = "[{\"id\":31,\"status\":\"failure\",\"context\":\"ci / test (push)\","
                            + "\"description\":\"Failing after 41s: 2 tests failed\","
                            + "\"target_url\":\"https://codeberg.example/acme/origin/actions/runs/9/jobs/0\"},"
                            + "{\"id\":30,\"status\":\"success\",\"context\":\"ci / lint (push)\",\"description\":\"ok\"}]";
                } else {
                    status = 404;
                    answer = "{\"message\":\"Not Found\"}";
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
    static void gitea(DynamicPropertyRegistry r) {
        r.add("deksdenflow.gitea.api-base", () -> "http://127.0.0.1:" + GITEA.getAddress().getPort() + "/api/v1");
    }

    @AfterAll
    static void stop() {
        GITEA.stop(0);
    }

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    @Test
    void pullRequestOnGiteaThenAGreenCommitStatusCompletesTheStep() throws Exception {
        Http http = http();
        long id = executedProtocol(http, "acme", "0001-gitea");

        assertThat(http.post("/protocols/" + id + "/actions/open_pr", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/protocols/" + id).json().path("pr_url").isNull());
        assertThat(http.get("/protocols/" + id).json().path("pr_url").asText()).isEqualTo("https://codeberg.example/acme/origin/pulls/5");
        Seen post = SEEN.get(0);
        assertThat(post.method() + " " + post.path()).isEqualTo("POST /api/v1/repos/acme/origin/pulls");
        assertThat(post.headers().get("Authorization")).isEqualTo("token " + TOKEN);
        JsonNode req = JSON.readTree(post.body());
        assertThat(req.path("head").asText()).isEqualTo("0001-gitea");
        assertThat(req.path("base").asText()).isEqualTo("main");
        assertThat(req.path("title").asText()).startsWith("WIP: 0001-gitea");
        JsonNode opened = event(http, id, "pr_opened");
        assertThat(opened.path("message").asText()).startsWith("draft PR open: ");
        assertThat(opened.path("metadata").path("provider").asText()).isEqualTo("gitea");
        assertThat(ciLoop.prNumber(id)).contains(5L);

        // Gitea's commit status names no branch: it maps through the commit the step pushed
        String head = ciLoop.head(id).orElseThrow();
        Http.Response pending = status(http, head, "pending", "X-Gitea");
        assertThat(pending.status()).isEqualTo(202);
        assertThat(pending.json().path("results").get(0).path("protocol_run_id").asLong()).isEqualTo(id);
        Http.Response green = status(http, head, "success", "X-Gitea");
        assertThat(green.json().path("results").get(0).path("action").asText()).isEqualTo("qa_enqueued");
        awaitProtocol(http, id, "completed");
        assertThat(http.get("/protocols/" + id + "/steps").json().path("items").get(0).path("status").asText())
                .isEqualTo("completed");
        assertThat(eventTypes(http, id)).doesNotContain("pr_merged", "ci_failed");
        // a green status needs no API call: only the pull request reached Gitea
        assertThat(SEEN).hasSize(1);
    }

    @Test
    void aRedCommitStatusFromForgejoIsTriagedFromTheCommitsStatusesAndBlocks() {
        Http http = http();
        long id = executedProtocol(http, "forgejo", "0002-forgejo");
        String head = ciLoop.head(id).orElseThrow();

        byte[] unsigned = statusBody(head, "failure", "forgejo");
        Http.Response forged = http.postBytes("/webhooks/gitea", unsigned, Map.of("X-Forgejo-Event", "status",
                "X-Forgejo-Delivery", UUID.randomUUID().toString(), "X-Forgejo-Signature", GiteaForge.signature("wrong", unsigned)));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(eventTypes(http, id)).doesNotContain("ci_failed", "ci_triage_queued");

        Http.Response red = status(http, head, "failure", "X-Forgejo");
        assertThat(red.status()).isEqualTo(202);
        assertThat(red.json().path("results").get(0).path("action").asText()).isEqualTo("triage_queued");
        await().atMost(Duration.ofSeconds(60)).until(() -> eventTypes(http, id).contains("ci_failed"));
        JsonNode failures = event(http, id, "ci_failed").path("metadata").path("failures");
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).path("job").asText()).isEqualTo("ci / test (push)");
        assertThat(failures.get(0).path("url").asText()).isEqualTo("https://codeberg.example/acme/origin/actions/runs/9/jobs/0");
        assertThat(failures.get(0).path("excerpt").asText()).contains("2 tests failed").doesNotContain(TOKEN);
        List<String> calls = new ArrayList<>();
        SEEN.forEach(s -> calls.add(s.method() + " " + s.path() + "?" + s.query()));
        assertThat(calls).containsExactly("GET /api/v1/repos/forgejo/origin/commits/" + head + "/statuses?limit=50");
        assertThat(SEEN.get(0).headers().get("Authorization")).isEqualTo("token " + TOKEN);
        awaitProtocol(http, id, "blocked");
    }

    /** A one-step protocol, executed (needs_qa), on a Gitea project with its token. */
    private long executedProtocol(Http http, String owner, String name) {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        long projectId = readyProject(http, origin(owner), Map.of("ci_provider", "gitea",
                "secrets", Map.of("GITEA_TOKEN", TOKEN))).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name, "auto_advance", true))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode items = http.get("/protocols/" + id + "/steps").json().path("items");
            return items.size() > 0 && items.get(0).path("status").asText().equals("needs_qa");
        });
        return id;
    }

    /** A signed commit-status delivery, with Gitea's ({@code X-Gitea}) or Forgejo's ({@code X-Forgejo}) headers. */
    private Http.Response status(Http http, String sha, String state, String headerPrefix) {
        byte[] body = statusBody(sha, state, headerPrefix.equals("X-Gitea") ? "acme" : "forgejo");
        return http.postBytes("/webhooks/gitea", body, Map.of(headerPrefix + "-Event", "status",
                headerPrefix + "-Delivery", UUID.randomUUID().toString(),
                headerPrefix + "-Signature", GiteaForge.signature(SECRET, body)));
    }

    private static byte[] statusBody(String sha, String state, String owner) {
        ObjectNode p = JSON.createObjectNode().put("id", 30).put("sha", sha).put("state", state)
                .put("context", "ci / test (push)").put("description", state.equals("failure") ? "2 tests failed" : "")
                .put("target_url", "https://codeberg.example/" + owner + "/origin/actions/runs/9/jobs/0");
        p.putObject("commit").put("id", sha).put("url", "https://codeberg.example/" + owner + "/origin/commit/" + sha);
        p.putObject("repository").put("full_name", owner + "/origin")
                .put("html_url", "https://codeberg.example/" + owner + "/origin")
                .put("clone_url", "https://codeberg.example/" + owner + "/origin.git");
        return p.toString().getBytes(StandardCharsets.UTF_8);
    }
}
