package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.queue.EmbeddedRedis;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.RealCliFlowBase;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Exactly-once step work with real worker processes: this test's context is the API only; workers
 * are separate JVMs on the same database, workspace and Redis, running the real Codex CLI. A worker
 * is SIGKILLed (1) after the agent finished and the step's commit reached origin, before the job's
 * ack, and (2) while the agent is still working; a replacement takes the job over when its lease
 * expires. The step is committed once and, in (1), the agent is not run again.
 */
@TestPropertySource(properties = {"deksdenflow.role=api", "deksdenflow.auto-qa-after-exec=true",
        "deksdenflow.job-lease-seconds=5"})
class ExactlyOnceStepTest extends RealCliFlowBase {
    private static final EmbeddedRedis REDIS = EmbeddedRedis.start(0);
    private final List<Process> workers = new ArrayList<>();

    @DynamicPropertySource
    static void sharedRedis(DynamicPropertyRegistry r) {
        r.add("deksdenflow.redis-url", REDIS::url);
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        for (Process p : workers) {
            p.destroyForcibly();
            p.waitFor();
        }
        workers.clear();
    }

    @AfterAll
    static void stopRedis() {
        REDIS.stop();
    }

    @Test
    void aWorkerKilledAfterTheAgentCommittedIsNotFollowedByASecondAgentRun() throws Exception {
        Process first = worker("a");
        Http http = http();
        String url = origin("killed-after");
        Path bare = TestRepos.originPath(url);
        Path pushed = contextDir.resolve("step-commit-pushed");
        // origin holds the push of the step's commit until the test has killed the worker that made it
        afterPush("if \"$real\" --git-dir='" + bare + "' log -1 --format=%s 0001-killed-after 2>/dev/null"
                + " | grep -q '^feat(greeting)' && [ ! -e '" + pushed + "' ]; then\n"
                + "  touch '" + pushed + "'; sleep 60\nfi");
        long id = start(http, url, "0001-killed-after");
        await().atMost(Duration.ofSeconds(150)).until(() -> Files.exists(pushed));
        kill(first);
        assertThat(TestRepos.gitBare(bare, "log", "--format=%s", "0001-killed-after"))
                .contains("feat(greeting): add the greeting file [protocol-0001/01]");
        assertThat(eventTypes(http, id)).doesNotContain("step_executed");

        worker("b");
        awaitProtocol(http, id, "completed");
        assertThat(MODEL.modelRequests("exec")).hasSize(2); // one agent run: the tool call and the summary
        JsonNode executed = event(http, id, "step_executed").path("metadata");
        assertThat(executed.path("adopted").asBoolean()).isTrue();
        assertThat(eventTypes(http, id).stream().filter("step_executed"::equals)).hasSize(1);
        assertThat(stepCommits(bare, "0001-killed-after", "[protocol-0001/01]")).hasSize(1);
        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        assertThat(step.path("execution_commit").asText())
                .isEqualTo(TestRepos.gitBare(bare, "log", "-1", "--format=%H", "--grep=^feat(greeting)",
                        "0001-killed-after").strip());
    }

    @Test
    void aWorkerKilledWhileTheAgentWorksLeavesNoTraceAndTheNextAttemptRunsItAgain() throws Exception {
        MODEL.execDelay(60_000);
        Process first = worker("c");
        Http http = http();
        String url = origin("killed-during");
        Path bare = TestRepos.originPath(url);
        long id = start(http, url, "0002-killed-during");
        await().atMost(Duration.ofSeconds(150)).until(() -> !MODEL.modelRequests("exec").isEmpty());
        kill(first);

        worker("d");
        awaitProtocol(http, id, "completed");
        assertThat(MODEL.modelRequests("exec")).hasSize(3); // the killed run's first turn, then a whole run
        assertThat(event(http, id, "step_executed").path("metadata").path("adopted").isMissingNode()).isTrue();
        assertThat(stepCommits(bare, "0002-killed-during", "[protocol-0002/01]")).hasSize(1);
        assertThat(TestRepos.gitBare(bare, "show", "0002-killed-during:src/hello-codex.txt")).isEqualTo("hello from codex\n");
        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        JsonNode runs = http.get("/steps/" + step.path("id").asLong() + "/runs").json().path("items");
        List<JsonNode> exec = new ArrayList<>();
        runs.forEach(r -> { if (r.path("phase").asText().equals("exec")) exec.add(r); });
        assertThat(exec).hasSize(2);
        assertThat(exec.get(0).path("finished_at").isNull()).isTrue(); // died with its worker
        assertThat(exec.get(1).path("tokens_estimated").asBoolean()).isFalse();
    }

    private static List<String> stepCommits(Path bare, String branch, String tag) {
        return TestRepos.gitBare(bare, "log", "--format=%s", branch).lines()
                .filter(l -> l.startsWith("feat(greeting)") && l.endsWith(tag)).toList();
    }

    private long start(Http http, String url, String name) {
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", name, "engine", "codex", "auto_advance", true)).json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return id;
    }

    /**
     * Runs {@code body} (with {@code $real} the real git) after a worker's {@code git push} has landed,
     * before it returns: what a post-receive hook in origin did before the service turned the hooks of
     * local origins off. A {@code git} wrapper first on the workers' PATH (git itself puts its own
     * directory first for the commands it runs, so only the service's own call of git goes through it).
     */
    private static void afterPush(String body) throws IOException {
        String real = Arrays.stream(System.getenv("PATH").split(":")).map(d -> Path.of(d, "git"))
                .filter(Files::isExecutable).findFirst().orElseThrow().toString();
        Path wrapper = Files.createDirectories(contextDir.resolve("git-wrapper")).resolve("git");
        Files.writeString(wrapper, "#!/bin/sh\nreal='" + real + "'\ncase \" $* \" in *\" push \"*)\n"
                + "  \"$real\" \"$@\"; rc=$?\n" + body + "\n  exit $rc ;;\nesac\n"
                + "exec \"$real\" \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void kill(Process worker) throws InterruptedException {
        worker.destroyForcibly(); // SIGKILL: no shutdown hook, no release of its jobs
        assertThat(worker.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    /** A worker JVM on this context's database, workspace and Redis. */
    private Process worker(String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.deksdenflow.orchestrator.OrchestratorApplication");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("DEKSDENFLOW_"));
        env.put("DEKSDENFLOW_ROLE", "worker");
        env.put("PATH", contextDir.resolve("git-wrapper") + ":" + System.getenv("PATH"));
        env.put("DEKSDENFLOW_API_PORT", "0");
        env.put("DEKSDENFLOW_DB_PATH", contextDir.resolve("db.sqlite").toString());
        env.put("DEKSDENFLOW_WORKSPACE", contextDir.resolve("workspace").toString());
        env.put("DEKSDENFLOW_ROUTES_DIR", ROOT.resolve("no-routes").toString());
        env.put("DEKSDENFLOW_REDIS_URL", REDIS.url());
        env.put("DEKSDENFLOW_CODEX_BIN", codexWrapper.toString());
        env.put("DEKSDENFLOW_CLAUDE_BIN", claudeWrapper.toString());
        env.put("DEKSDENFLOW_AGENT_SANDBOX_WRITABLE", sandboxWritable);
        env.putAll(operatorEnv());
        env.put("DEKSDENFLOW_AUTO_QA_AFTER_EXEC", "true");
        env.put("DEKSDENFLOW_JOB_LEASE_SECONDS", "5");
        env.put("DEKSDENFLOW_JOB_BACKOFF_SECONDS", "1");
        env.put("DEKSDENFLOW_JOB_BACKOFF_MAX_SECONDS", "1");
        env.put("DEKSDENFLOW_ENGINE_TIMEOUT", "90");
        // agents have their own network namespace: the model stand-in's port must be on the allow-list
        env.put("DEKSDENFLOW_AGENT_EGRESS", "127.0.0.1:" + MODEL.port());
        File log = contextDir.resolve("worker-" + name + ".log").toFile();
        Process p = pb.redirectErrorStream(true).redirectOutput(log).start();
        workers.add(p);
        return p;
    }
}
