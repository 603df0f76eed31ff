package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.forge.github.GithubForge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.deksdenflow.orchestrator.budget.BudgetSettings;
import io.deksdenflow.orchestrator.protocol.AutomationSettings;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.SettingsSwap;
import io.deksdenflow.orchestrator.testsupport.StandInAgent;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * CI failure → triage → bounded auto-fix → green CI, end to end: real git (file:// origin), workers,
 * the sandboxed stand-in agent, signed webhooks, and local stand-ins of the GitHub and GitLab REST APIs
 * serving workflow jobs, annotations, a log behind a redirect, pipeline jobs and traces (every request
 * they see is recorded and asserted).
 */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + CiAutoFixFlowTest.SECRET,
        "deksdenflow.auto-qa-on-ci=true", "deksdenflow.ci-log-excerpt-lines=60"})
class CiAutoFixFlowTest extends FlowTestBase {
    static final String SECRET = "ci-loop-secret";
    static final String GH_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
    static final String GL_TOKEN = "glpat-" + "Zy9Xw8Vu7Ts6Rq5Po4Nm";
    static final long RUN_ID = 4242;
    static final long JOB_ID = 501;
    static final long PIPELINE_ID = 77;
    static final long GL_JOB_ID = 901;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ARGV = ROOT.resolve("agent").resolve("argv-ci.jsonl");

    record Seen(String method, String path, String query, Map<String, String> headers) {}

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    static final HttpServer FORGE = start();

    @Autowired
    CiLoopStore ciLoop;
    @Autowired
    ApplicationContext context;
    /** The origin of the last {@link #executedProtocol}. */
    String originUrl;

    /** A GitHub job log: ANSI colours, Actions timestamps, a leaked token, the error, 400 lines of noise. */
    static String githubLog() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 150; i++) sb.append("2026-11-29T10:00:00.0000000Z npm http fetch GET 200 pkg-").append(i).append('\n');
        sb.append("2026-11-29T10:00:01.0000000Z \u001B[31mFAIL\u001B[0m src/login.test.js\n");
        sb.append("2026-11-29T10:00:01.0000000Z   ● login › rejects a wrong password\n");
        sb.append("2026-11-29T10:00:01.0000000Z     Expected: 401, Received: 200 (token ").append(GH_TOKEN).append(")\n");
        sb.append("2026-11-29T10:00:01.0000000Z     password=hunter2-secret\n");
        for (int i = 0; i < 250; i++) sb.append("2026-11-29T10:00:02.0000000Z noise line ").append(i).append('\n');
        sb.append("2026-11-29T10:00:03.0000000Z ##[error]Process completed with exit code 1.\n");
        return sb.toString();
    }

    static String gitlabTrace() {
        StringBuilder sb = new StringBuilder("\u001B[0KRunning with gitlab-runner 17.0\n");
        for (int i = 0; i < 100; i++) sb.append("bundle install: gem ").append(i).append('\n');
        sb.append("rspec ./spec/export_spec.rb:12 # Export writes a header row\n");
        sb.append("Failure/Error: expect(csv.lines.first).to eq(\"id,name\")\n");
        sb.append("ERROR: Job failed: exit code 1 PRIVATE-TOKEN: ").append(GL_TOKEN).append('\n');
        return sb.toString();
    }

    static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", ex -> {
                ex.getRequestBody().readAllBytes();
                Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                ex.getRequestHeaders().forEach((k, v) -> h.put(k, v.get(0)));
                String path = ex.getRequestURI().getRawPath();
                String query = ex.getRequestURI().getRawQuery();
                String method = ex.getRequestMethod();
                SEEN.add(new Seen(method, path, query, h));
                int status = 200;
                String answer;
                String gh = "/gh/repos/acme/origin";
                String gl = "/gl/api/v4/projects/grp%2Forigin";
                int port = s.getAddress().getPort();
                if (path.equals(gh + "/actions/runs/" + RUN_ID + "/jobs")) {
                    answer = "{\"total_count\":2,\"jobs\":[{\"id\":" + JOB_ID + ",\"name\":\"unit-tests\",\"conclusion\":\"failure\","
                            + "\"html_url\":\"https://github.com/acme/origin/actions/runs/" + RUN_ID + "/job/" + JOB_ID + "\","
                            + "\"steps\":[{\"name\":\"Set up job\",\"conclusion\":\"success\"},{\"name\":\"Run tests\",\"conclusion\":\"failure\"}]},"
                            + "{\"id\":502,\"name\":\"lint\",\"conclusion\":\"success\",\"steps\":[]}]}";
                } else if (path.equals(gh + "/actions/jobs/" + JOB_ID + "/logs")) {
                    ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + "/blob/job-logs/" + JOB_ID + ".txt?sig=abc");
                    ex.sendResponseHeaders(302, -1);
                    ex.close();
                    return;
                } else if (path.equals("/blob/job-logs/" + JOB_ID + ".txt")) {
                    answer = githubLog();
                } else if (path.equals(gh + "/check-runs/" + JOB_ID + "/annotations")) {
                    answer = "[{\"path\":\"src/login.test.js\",\"start_line\":12,\"annotation_level\":\"failure\","
                            + "\"message\":\"expect(received).toBe(expected)\"}]";
                } else if (method.equals("POST") && path.equals(gh + "/actions/runs/" + RUN_ID + "/rerun-failed-jobs")) {
                    status = 201;
                    answer = "{}";
                } else if (path.equals(gl + "/pipelines/" + PIPELINE_ID + "/jobs")) {
                    answer = "[{\"id\":" + GL_JOB_ID + ",\"name\":\"rspec\",\"stage\":\"test\",\"status\":\"failed\",\"allow_failure\":false,"
                            + "\"web_url\":\"https://gitlab.example.com/grp/origin/-/jobs/" + GL_JOB_ID + "\"}]";
                } else if (path.equals(gl + "/jobs/" + GL_JOB_ID + "/trace")) {
                    answer = gitlabTrace();
                } else {
                    status = 404;
                    answer = "{\"message\":\"Not Found\"}";
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", answer.startsWith("{") || answer.startsWith("[")
                        ? "application/json" : "text/plain");
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

    /** The codex wrapper of FlowTestBase, optionally recording each call's prompt (stdin) where the sandbox lets it write. */
    static void codexWrapper(boolean record) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STAND_IN_SCRIPT", SCRIPT.toString());
        env.put("STAND_IN_PID_FILE", ROOT.resolve("agent/pids").toString());
        if (record) env.put("STAND_IN_ARGV_FILE", ARGV.toString());
        StandInAgent.wrapper(ROOT.resolve("agent"), "codex", env);
    }

    @AfterAll
    static void stop() {
        FORGE.stop(0);
        codexWrapper(false);
    }

    @BeforeEach
    void reset() throws IOException {
        SEEN.clear();
        Files.deleteIfExists(ARGV);
        codexWrapper(true);
        restoreSettings();
    }

    @AfterEach
    void restoreSettings() {
        SettingsSwap.reset(context, AutomationSettings.class);
        SettingsSwap.reset(context, BudgetSettings.class);
    }

    private void automation(UnaryOperator<AutomationSettings> change) {
        SettingsSwap.set(context, AutomationSettings.class, change.apply(SettingsSwap.current(context, AutomationSettings.class)));
    }

    // ---------------------------------------------------------------- helpers

    /** A protocol of one step, executed (needs_qa) on a project of {@code provider} with its token. */
    private long executedProtocol(Http http, String owner, String provider, String name) {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("ci_provider", provider);
        extra.put("secrets", provider.equals("github") ? Map.of("GITHUB_TOKEN", GH_TOKEN) : Map.of("GITLAB_TOKEN", GL_TOKEN));
        originUrl = origin(owner);
        long projectId = readyProject(http, originUrl, extra).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name, "auto_advance", true))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> step(http, id).path("status").asText().equals("needs_qa"));
        return id;
    }

    private JsonNode step(Http http, long protocolId) {
        JsonNode items = http.get("/protocols/" + protocolId + "/steps").json().path("items");
        return items.size() == 0 ? JSON.createObjectNode() : items.get(0);
    }

    private String head(long protocolId) {
        return ciLoop.head(protocolId).orElseThrow();
    }

    private Http.Response workflowRun(Http http, String branch, String sha, String conclusion) {
        ObjectNode p = JSON.createObjectNode().put("action", "completed");
        p.putObject("workflow_run").put("id", RUN_ID).put("name", "CI").put("head_branch", branch).put("head_sha", sha)
                .put("status", "completed").put("conclusion", conclusion)
                .put("html_url", "https://github.com/acme/origin/actions/runs/" + RUN_ID);
        p.putObject("repository").put("full_name", "acme/origin").put("html_url", "https://github.com/acme/origin");
        byte[] body = p.toString().getBytes(StandardCharsets.UTF_8);
        return http.postBytes("/webhooks/github", body, Map.of("X-GitHub-Event", "workflow_run",
                "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", GithubForge.signature(SECRET, body)));
    }

    private Http.Response pipeline(Http http, String branch, String sha, String status) {
        ObjectNode p = JSON.createObjectNode().put("object_kind", "pipeline");
        p.putObject("object_attributes").put("id", PIPELINE_ID).put("ref", branch).put("sha", sha).put("status", status)
                .put("url", "https://gitlab.example.com/grp/origin/-/pipelines/" + PIPELINE_ID);
        p.putObject("project").put("path_with_namespace", "grp/origin").put("web_url", "https://gitlab.example.com/grp/origin");
        return http.postBytes("/webhooks/gitlab", p.toString().getBytes(StandardCharsets.UTF_8), Map.of(
                "X-Gitlab-Event", "Pipeline Hook", "X-Gitlab-Token", SECRET,
                "X-Gitlab-Event-UUID", UUID.randomUUID().toString()));
    }

    private List<JsonNode> events(Http http, long id, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : http.get("/protocols/" + id + "/events?limit=500").json().path("items")) {
            if (e.path("event_type").asText().equals(type)) out.add(e);
        }
        java.util.Collections.reverse(out); // oldest first
        return out;
    }

    private void awaitEvents(Http http, long id, String type, int n) {
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> events(http, id, type).size() >= n);
        } catch (RuntimeException e) {
            throw new AssertionError("no " + n + " '" + type + "' events; the protocol's events: "
                    + http.get("/protocols/" + id + "/events?limit=50").json().path("items"), e);
        }
    }

    private List<JsonNode> prompts() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(ARGV)) out.add(JSON.readTree(line));
        return out;
    }

    private static String originLog(String url, String branch) {
        return TestRepos.gitBare(TestRepos.originPath(url), "log", "--format=%H %s", branch);
    }

    // ---------------------------------------------------------------- tests

    @Test
    void githubFailureIsTriagedFixedPushedAndAGreenRunCompletesTheStep() throws Exception {
        Http http = http();
        long id = executedProtocol(http, "acme", "github", "0001-ci-fix");
        String failing = head(id);
        assertThat(step(http, id).path("execution_commit").asText()).isEqualTo(failing);

        assertThat(workflowRun(http, "0001-ci-fix", failing, "failure").json().path("results").get(0)
                .path("action").asText()).isEqualTo("triage_queued");
        // GitHub reports the same failure again (check suite, check runs): one fix per failing commit
        assertThat(workflowRun(http, "0001-ci-fix", failing, "failure").json().path("results").get(0)
                .path("action").asText()).isEqualTo("recorded");
        assertThat(events(http, id, "ci_failure_repeated")).hasSize(1);
        awaitEvents(http, id, "ci_fix_pushed", 1);

        // the triaged failure: which job, which step, the page, the bounded, cleaned excerpt
        JsonNode failed = events(http, id, "ci_failed").get(0).path("metadata");
        JsonNode f = failed.path("failures").get(0);
        assertThat(failed.path("failures")).hasSize(1);
        assertThat(f.path("job").asText()).isEqualTo("unit-tests");
        assertThat(f.path("step").asText()).isEqualTo("Run tests");
        assertThat(f.path("url").asText()).isEqualTo("https://github.com/acme/origin/actions/runs/4242/job/501");
        String excerpt = f.path("excerpt").asText();
        assertThat(excerpt).contains("FAIL src/login.test.js", "Expected: 401, Received: 200",
                "failure: src/login.test.js:12 expect(received).toBe(expected)", "##[error]Process completed with exit code 1.");
        assertThat(excerpt).doesNotContain(GH_TOKEN, "hunter2", "\u001B", "2026-11-29T10:00");
        assertThat(excerpt.split("\n", -1).length).isLessThanOrEqualTo(60);
        assertThat(failed.path("attempt").asInt()).isEqualTo(1);

        // exactly these requests reached the GitHub stand-in; the log storage got no token
        List<String> calls = SEEN.stream().map(s -> s.method() + " " + s.path()).toList();
        assertThat(calls).containsExactly(
                "GET /gh/repos/acme/origin/actions/runs/4242/jobs",
                "GET /gh/repos/acme/origin/check-runs/501/annotations",
                "GET /gh/repos/acme/origin/actions/jobs/501/logs",
                "GET /blob/job-logs/501.txt");
        assertThat(SEEN.get(0).headers().get("Authorization")).isEqualTo("Bearer " + GH_TOKEN);
        assertThat(SEEN.get(0).query()).contains("filter=latest");
        assertThat(SEEN.get(2).headers().get("Authorization")).isEqualTo("Bearer " + GH_TOKEN);
        assertThat(SEEN.get(3).headers()).doesNotContainKey("Authorization");
        assertThat(SEEN.get(3).query()).isEqualTo("sig=abc");

        // the fix run: the step's exec engine, sandboxed, with the step file, the excerpt and the step's diff
        JsonNode fixCall = prompts().stream().filter(c -> c.path("stdin").asText().contains("CI failed on branch"))
                .findFirst().orElseThrow();
        String prompt = fixCall.path("stdin").asText();
        assertThat(fixCall.path("phase").asText()).isEqualTo("exec");
        assertThat(prompt).contains("Stand-in step 0", "### Job: unit-tests — failed step: Run tests",
                "Expected: 401, Received: 200", "diff --git", "stand-in-0.txt", "[protocol-0001/00]");
        assertThat(prompt).doesNotContain(GH_TOKEN);

        // the fix commit on origin, announced with its sha and attempt
        JsonNode pushed = events(http, id, "ci_fix_pushed").get(0).path("metadata");
        String fixSha = pushed.path("sha").asText();
        assertThat(pushed.path("attempt").asInt()).isEqualTo(1);
        assertThat(events(http, id, "ci_fix_started")).hasSize(1);
        String log = originLog(originUrl, "0001-ci-fix");
        assertThat(log.lines().findFirst().orElseThrow()).isEqualTo(fixSha + " fix(ci): unit-tests [protocol-0001/00]");
        assertThat(head(id)).isEqualTo(fixSha);

        // another failure delivery about the failing commit starts nothing more
        workflowRun(http, "0001-ci-fix", failing, "failure");
        assertThat(events(http, id, "ci_superseded")).hasSize(1);

        // CI green on the fix → QA on CI → the step and the one-step protocol complete
        assertThat(workflowRun(http, "0001-ci-fix", fixSha, "success").json().path("results").get(0)
                .path("action").asText()).isEqualTo("qa_enqueued");
        awaitProtocol(http, id, "completed");
        assertThat(step(http, id).path("status").asText()).isEqualTo("completed");
        assertThat(events(http, id, "ci_fix_started")).hasSize(1);
        assertThat(eventTypes(http, id)).doesNotContain("ci_fix_exhausted", "protocol_blocked");
        // the fix run is an engine run of the step like its execution (budgeted and recorded the same way)
        JsonNode runs = http.get("/steps/" + step(http, id).path("id").asLong() + "/runs").json().path("items");
        assertThat(runs.findValuesAsText("phase")).containsExactly("exec", "exec", "qa");
    }

    @Test
    void gitlabFailuresAreFixedAtMostTwiceThenTheProtocolIsBlocked() throws Exception {
        Http http = http();
        long id = executedProtocol(http, "grp", "gitlab", "0002-export");
        List<String> failingShas = new ArrayList<>();
        for (int attempt = 1; attempt <= 2; attempt++) {
            String failing = head(id);
            failingShas.add(failing);
            assertThat(pipeline(http, "0002-export", failing, "failed").json().path("results").get(0)
                    .path("action").asText()).isEqualTo("triage_queued");
            awaitEvents(http, id, "ci_fix_pushed", attempt);
            assertThat(events(http, id, "ci_fix_pushed").get(attempt - 1).path("metadata").path("attempt").asInt())
                    .isEqualTo(attempt);
        }
        String last = head(id);
        assertThat(failingShas).doesNotContain(last);
        pipeline(http, "0002-export", last, "failed");
        JsonNode blocked = awaitProtocol(http, id, "blocked");

        JsonNode exhausted = events(http, id, "ci_fix_exhausted").get(0);
        assertThat(exhausted.path("message").asText()).contains("2 auto-fix attempts", "rspec (test)");
        JsonNode f = exhausted.path("metadata").path("failures").get(0);
        assertThat(f.path("job").asText()).isEqualTo("rspec");
        assertThat(f.path("step").asText()).isEqualTo("test");
        assertThat(f.path("url").asText()).isEqualTo("https://gitlab.example.com/grp/origin/-/jobs/901");
        assertThat(f.path("excerpt").asText()).contains("Failure/Error: expect(csv.lines.first)", "ERROR: Job failed")
                .doesNotContain(GL_TOKEN, "\u001B");
        assertThat(blocked.path("last_error").asText()).contains("auto-fix");
        assertThat(step(http, id).path("status").asText()).isEqualTo("blocked");
        assertThat(events(http, id, "ci_fix_started")).hasSize(2);

        // two fix commits on origin, the last one the branch's head
        List<String> fixes = originLog(originUrl, "0002-export").lines()
                .filter(l -> l.endsWith(" fix(ci): rspec [protocol-0002/00]")).toList();
        assertThat(fixes).hasSize(2);
        assertThat(fixes.get(0)).startsWith(last);
        // GitLab requests: the failed jobs of the pipeline, then the trace, with the project's token
        Seen jobs = SEEN.stream().filter(x -> x.path().endsWith("/pipelines/77/jobs")).findFirst().orElseThrow();
        assertThat(jobs.path()).isEqualTo("/gl/api/v4/projects/grp%2Forigin/pipelines/77/jobs");
        assertThat(jobs.query()).contains("scope%5B%5D=failed");
        assertThat(jobs.headers().get("PRIVATE-TOKEN")).isEqualTo(GL_TOKEN);
        assertThat(SEEN.stream().filter(x -> x.path().equals("/gl/api/v4/projects/grp%2Forigin/jobs/901/trace")).count())
                .isEqualTo(3);
    }

    @Test
    void withRerunFirstTheFailedJobsAreRerunOnceBeforeTheFirstFix() throws Exception {
        automation(a -> a.withCiRerunFailedFirst(true));
        Http http = http();
        long id = executedProtocol(http, "acme", "github", "0003-flaky");
        String failing = head(id);

        workflowRun(http, "0003-flaky", failing, "failure");
        awaitEvents(http, id, "ci_rerun_requested", 1);
        Seen rerun = SEEN.stream().filter(x -> x.method().equals("POST")).findFirst().orElseThrow();
        assertThat(rerun.path()).isEqualTo("/gh/repos/acme/origin/actions/runs/4242/rerun-failed-jobs");
        assertThat(rerun.headers().get("Authorization")).isEqualTo("Bearer " + GH_TOKEN);
        assertThat(events(http, id, "ci_failed").get(0).path("metadata").path("next").asText()).isEqualTo("rerun");
        assertThat(protocolStatusOf(http, id)).isEqualTo("running");

        // the re-run fails again on the same commit: now the agent fixes it
        workflowRun(http, "0003-flaky", failing, "failure");
        awaitEvents(http, id, "ci_fix_pushed", 1);
        assertThat(events(http, id, "ci_rerun_requested")).hasSize(1);
        assertThat(SEEN.stream().filter(x -> x.method().equals("POST")).count()).isEqualTo(1);
        assertThat(events(http, id, "ci_fix_pushed").get(0).path("metadata").path("failing_sha").asText())
                .isEqualTo(failing);
    }

    @Test
    void theStepsTokenBudgetAppliesToTheFixRun() throws Exception {
        Http http = http();
        long id = executedProtocol(http, "acme", "github", "0004-budget");
        String failing = head(id);
        long used = step(http, id).path("tokens_used").asLong();
        assertThat(used).isPositive();
        SettingsSwap.set(context, BudgetSettings.class, BudgetSettings.defaults().withMaxTokensPerStep(used + 10)); // no room for the fix prompt

        workflowRun(http, "0004-budget", failing, "failure");
        awaitProtocol(http, id, "blocked");

        JsonNode exceeded = events(http, id, "budget_exceeded").get(0).path("metadata");
        assertThat(exceeded.path("phase").asText()).isEqualTo("exec");
        assertThat(exceeded.path("step_tokens_used").asLong()).isEqualTo(used);
        assertThat(events(http, id, "ci_fix_started")).hasSize(1);
        assertThat(eventTypes(http, id)).doesNotContain("ci_fix_pushed");
        assertThat(originLog(originUrl, "0004-budget")).doesNotContain("fix(ci)");
        assertThat(head(id)).isEqualTo(failing);
    }

    @Test
    void withAutoFixOffAFailureIsTriagedAndBlocks() throws Exception {
        automation(a -> a.withCiAutofixAttempts(0));
        Http http = http();
        long id = executedProtocol(http, "acme", "github", "0005-no-fix");
        workflowRun(http, "0005-no-fix", head(id), "failure");
        JsonNode blocked = awaitProtocol(http, id, "blocked");

        JsonNode failed = events(http, id, "ci_failed").get(0);
        assertThat(failed.path("metadata").path("failures").get(0).path("job").asText()).isEqualTo("unit-tests");
        assertThat(failed.path("metadata").path("to").asText()).isEqualTo("blocked");
        assertThat(blocked.path("last_error").asText()).contains("unit-tests (Run tests)");
        assertThat(step(http, id).path("status").asText()).isEqualTo("blocked");
        assertThat(eventTypes(http, id)).doesNotContain("ci_fix_started", "ci_fix_exhausted");
    }

    private String protocolStatusOf(Http http, long id) {
        return http.get("/protocols/" + id).json().path("status").asText();
    }
}
