package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.forge.gitlab.GitlabTranslator;
import io.deksdenflow.orchestrator.forge.github.GithubTranslator;
import io.deksdenflow.orchestrator.forge.Signatures;
import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs scripts/ci/report.sh as a process against a JDK HTTP server and checks the exact request. */
class ReportScriptTest {

    private static final Path SCRIPT = Path.of("scripts/ci/report.sh").toAbsolutePath();
    private static final String SHA = "bcbb5ec396a2c0f828686f14fac9b80b780504f2";
    private static final String UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        JsonNode json() {
            return Fixtures.parse(new String(body, StandardCharsets.UTF_8));
        }
    }

    record Result(int exit, String stdout, String stderr) {
    }

    private HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger answer = new AtomicInteger(202);

    @TempDir
    Path tmp;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), List.copyOf(v)));
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body));
            byte[] out = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.get(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Result run(Map<String, String> env, String... args) throws Exception {
        return runIn(tmp, env, args);
    }

    private Result runIn(Path dir, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        // No leaking of the CI environment this test may itself run in.
        e.keySet().removeIf(k -> k.startsWith("DEKSDENFLOW_") || k.startsWith("CI_") || k.startsWith("GITHUB_"));
        e.putAll(env);
        Path out = tmp.resolve("out-" + System.nanoTime());
        Path err = tmp.resolve("err-" + System.nanoTime());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("report.sh finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("request received").isNotNull();
        return r;
    }

    @Test
    void githubSignedWorkflowRun() throws Exception {
        Result res = run(Map.of(
                "DEKSDENFLOW_API_BASE", base() + "/",
                "DEKSDENFLOW_WEBHOOK_TOKEN", "hook-secret",
                "DEKSDENFLOW_API_TOKEN", "api-token-must-not-be-sent",
                "DEKSDENFLOW_BRANCH", "0001-add-login",
                "DEKSDENFLOW_COMMIT_SHA", SHA,
                "DEKSDENFLOW_TARGET_URL", "https://ci.example.com/runs/7",
                "DEKSDENFLOW_PROTOCOL_RUN_ID", "42"), "success");

        assertThat(res.exit()).as(res.stderr()).isZero();
        assertThat(res.stdout()).contains("HTTP 202");
        Received r = next();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/webhooks/github");
        assertThat(r.query()).isEqualTo("protocol_run_id=42");
        assertThat(r.header("x-github-event")).isEqualTo("workflow_run");
        assertThat(r.header("x-github-delivery")).matches(UUID_RE);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.header("authorization")).isNull();
        assertThat(Signatures.hmacSha256HexMatches("hook-secret", r.body(), r.header("x-hub-signature-256").substring(7))).isTrue();
        assertThat(Signatures.hmacSha256HexMatches("other", r.body(), r.header("x-hub-signature-256").substring(7))).isFalse();

        JsonNode json = r.json();
        assertThat(json.path("action").asText()).isEqualTo("completed");
        JsonNode run = json.path("workflow_run");
        assertThat(run.path("head_branch").asText()).isEqualTo("0001-add-login");
        assertThat(run.path("head_sha").asText()).isEqualTo(SHA);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("conclusion").asText()).isEqualTo("success");
        assertThat(run.path("name").asText()).isEqualTo("report.sh");
        assertThat(run.path("html_url").asText()).isEqualTo("https://ci.example.com/runs/7");

        CiStatus s = CiStatus.validated(GithubTranslator.translate("workflow_run", json).orElseThrow());
        assertThat(s.status()).isEqualTo("success");
        assertThat(s.branch()).isEqualTo("0001-add-login");
    }

    @Test
    void githubFailureWithoutTargetUrlAndBranchFromGithubHeadRef() throws Exception {
        Result res = run(Map.of(
                "DEKSDENFLOW_API_BASE", base(),
                "DEKSDENFLOW_WEBHOOK_TOKEN", "k",
                "GITHUB_HEAD_REF", "feature/0002-fix",
                "GITHUB_REF_NAME", "12/merge",
                "GITHUB_SHA", SHA), "failure");

        assertThat(res.exit()).as(res.stderr()).isZero();
        Received r = next();
        assertThat(r.query()).isNull();
        JsonNode run = r.json().path("workflow_run");
        assertThat(run.path("head_branch").asText()).isEqualTo("feature/0002-fix");
        assertThat(run.path("conclusion").asText()).isEqualTo("failure");
        assertThat(run.path("html_url").isNull()).isTrue();
        assertThat(GithubTranslator.translate("workflow_run", r.json()).orElseThrow().status()).isEqualTo("failure");
    }

    @Test
    void gitlabPipelineHook() throws Exception {
        Result res = run(Map.of(
                "DEKSDENFLOW_API_BASE", base(),
                "DEKSDENFLOW_CI_PROVIDER", "gitlab",
                "DEKSDENFLOW_WEBHOOK_TOKEN", "gl-token",
                "DEKSDENFLOW_API_TOKEN", "api-token-must-not-be-sent",
                "CI_COMMIT_REF_NAME", "0003-docs",
                "CI_COMMIT_SHA", SHA,
                "CI_PIPELINE_URL", "https://gitlab.example.com/acme/demo/-/pipelines/31"), "failure");

        assertThat(res.exit()).as(res.stderr()).isZero();
        assertThat(res.stdout()).contains("HTTP 202");
        Received r = next();
        assertThat(r.path()).isEqualTo("/webhooks/gitlab");
        assertThat(r.query()).isNull();
        assertThat(r.header("x-gitlab-event")).isEqualTo("Pipeline Hook");
        assertThat(r.header("x-gitlab-event-uuid")).matches(UUID_RE);
        assertThat(Signatures.tokenMatches("gl-token", r.header("x-gitlab-token"))).isTrue();
        assertThat(r.header("x-hub-signature-256")).isNull();
        assertThat(r.header("authorization")).isNull();

        JsonNode json = r.json();
        assertThat(json.path("object_kind").asText()).isEqualTo("pipeline");
        JsonNode attrs = json.path("object_attributes");
        assertThat(attrs.path("ref").asText()).isEqualTo("0003-docs");
        assertThat(attrs.path("sha").asText()).isEqualTo(SHA);
        assertThat(attrs.path("status").asText()).isEqualTo("failed");
        assertThat(attrs.path("url").asText()).isEqualTo("https://gitlab.example.com/acme/demo/-/pipelines/31");

        CiStatus s = CiStatus.validated(GitlabTranslator.translate(r.header("x-gitlab-event"), json).orElseThrow());
        assertThat(s.status()).isEqualTo("failure");
        assertThat(s.branch()).isEqualTo("0003-docs");
    }

    @Test
    void gitlabSuccessWithRunId() throws Exception {
        Result res = run(Map.of(
                "DEKSDENFLOW_API_BASE", base(),
                "DEKSDENFLOW_CI_PROVIDER", "gitlab",
                "DEKSDENFLOW_WEBHOOK_TOKEN", "gl-token",
                "DEKSDENFLOW_PROTOCOL_RUN_ID", "7",
                "DEKSDENFLOW_BRANCH", "0003-docs"), "success");
        assertThat(res.exit()).as(res.stderr()).isZero();
        Received r = next();
        assertThat(r.query()).isEqualTo("protocol_run_id=7");
        assertThat(r.json().path("object_attributes").path("status").asText()).isEqualTo("success");
    }

    @Test
    void unsetApiBaseIsANoOp() throws Exception {
        Result res = run(Map.of("DEKSDENFLOW_BRANCH", "0001-x", "DEKSDENFLOW_WEBHOOK_TOKEN", "k"), "success");
        assertThat(res.exit()).isZero();
        assertThat(res.stderr()).contains("DEKSDENFLOW_API_BASE is not set");
        assertThat(res.stderr().strip().lines()).hasSize(1);
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void hostileBranchNameProducesValidJson() throws Exception {
        String branch = "evil\"branch\n{\"x\":1}\\ $(touch pwned) `id` ' é";
        for (String provider : List.of("github", "gitlab")) {
            Result res = run(Map.of(
                    "DEKSDENFLOW_API_BASE", base(),
                    "DEKSDENFLOW_CI_PROVIDER", provider,
                    "DEKSDENFLOW_WEBHOOK_TOKEN", "k",
                    "DEKSDENFLOW_BRANCH", branch,
                    "DEKSDENFLOW_TARGET_URL", "https://x/\"y\""), "success");
            assertThat(res.exit()).as(res.stderr()).isZero();
            Received r = next();
            JsonNode json = r.json();
            if (provider.equals("github")) {
                assertThat(json.path("workflow_run").path("head_branch").asText()).isEqualTo(branch);
                assertThat(json.path("workflow_run").path("html_url").asText()).isEqualTo("https://x/\"y\"");
                assertThat(Signatures.hmacSha256HexMatches("k", r.body(), r.header("x-hub-signature-256").substring(7))).isTrue();
            } else {
                assertThat(json.path("object_attributes").path("ref").asText()).isEqualTo(branch);
            }
            assertThat(json.size()).isEqualTo(2);
        }
        assertThat(tmp.resolve("pwned")).doesNotExist();
    }

    @Test
    void nonSuccessAnswerFails() throws Exception {
        answer.set(401);
        Result res = run(Map.of("DEKSDENFLOW_API_BASE", base(), "DEKSDENFLOW_BRANCH", "0001-x",
                "DEKSDENFLOW_WEBHOOK_TOKEN", "wrong"), "success");
        assertThat(res.exit()).isEqualTo(1);
        assertThat(res.stdout()).contains("HTTP 401");
        next();
    }

    @Test
    void unreachableServiceFails() throws Exception {
        String dead = base();
        server.stop(0);
        Result res = run(Map.of("DEKSDENFLOW_API_BASE", dead, "DEKSDENFLOW_BRANCH", "0001-x"), "success");
        assertThat(res.exit()).isEqualTo(1);
        startServer();
    }

    @Test
    void badUsage() throws Exception {
        assertThat(run(Map.of("DEKSDENFLOW_API_BASE", base()), "passed").exit()).isEqualTo(2);
        assertThat(run(Map.of("DEKSDENFLOW_API_BASE", base())).exit()).isEqualTo(2);
        assertThat(run(Map.of("DEKSDENFLOW_API_BASE", base(), "DEKSDENFLOW_BRANCH", "b",
                "DEKSDENFLOW_CI_PROVIDER", "bitbucket"), "success").exit()).isEqualTo(2);
        assertThat(run(Map.of("DEKSDENFLOW_API_BASE", base(), "DEKSDENFLOW_BRANCH", "b",
                "DEKSDENFLOW_PROTOCOL_RUN_ID", "1;rm"), "success").exit()).isEqualTo(2);
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void branchFromGitWhenNoEnvironment() throws Exception {
        Path repo = Files.createDirectory(tmp.resolve("repo"));
        for (List<String> c : List.of(List.of("git", "init", "-q", "-b", "0009-from-git"),
                List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q",
                        "--allow-empty", "-m", "init"))) {
            Process p = new ProcessBuilder(c).directory(repo.toFile()).inheritIO().start();
            assertThat(p.waitFor()).isZero();
        }
        Result res = runIn(repo, Map.of("DEKSDENFLOW_API_BASE", base(), "DEKSDENFLOW_WEBHOOK_TOKEN", "k"), "success");
        assertThat(res.exit()).as(res.stderr()).isZero();
        JsonNode run = next().json().path("workflow_run");
        assertThat(run.path("head_branch").asText()).isEqualTo("0009-from-git");
        assertThat(run.path("head_sha").asText()).matches("[0-9a-f]{40}");
    }
}
