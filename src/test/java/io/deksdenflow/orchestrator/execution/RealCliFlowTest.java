package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.engine.AgentSandbox;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.ModelStandIn;
import io.deksdenflow.orchestrator.testsupport.RealCliFlowBase;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import io.deksdenflow.orchestrator.testsupport.LoopbackPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * plan → exec → QA → origin with the real Codex CLI and the real Claude Code, each against the
 * model stand-in, inside the service's agent sandbox.
 */
@TestPropertySource(properties = "deksdenflow.auto-qa-after-exec=true")
class RealCliFlowTest extends RealCliFlowBase {
    private static final int IN = ModelStandIn.INPUT_TOKENS;
    private static final int OUT = ModelStandIn.OUTPUT_TOKENS;

    @Test
    void codexPlansExecutesAndPassesQaWithUsageFromItsOwnOutput() {
        Http http = http();
        String url = origin("codex");
        long id = startProtocol(http, url, "0001-greeting", "codex");
        awaitProtocol(http, id, "completed");

        // what Codex sent: the planning schema, one command that wrote the file, its output back
        List<ModelStandIn.Request> plan = MODEL.modelRequests("planning");
        assertThat(plan).hasSize(1);
        assertThat(plan.get(0).path()).isEqualTo("/v1/responses");
        assertThat(plan.get(0).body().path("text").path("format").path("type").asText()).isEqualTo("json_schema");
        List<ModelStandIn.Request> exec = MODEL.modelRequests("exec");
        assertThat(exec).hasSize(2);
        assertThat(toolOutputs(exec.get(1))).singleElement().asString().contains("Process exited with code 0");
        assertThat(MODEL.modelRequests("qa")).hasSize(1);

        JsonNode step = onlyStep(http, id);
        assertThat(step.path("status").asText()).isEqualTo("completed");
        assertThat(step.path("qa_verdict").asText()).isEqualTo("pass");
        JsonNode runs = http.get("/steps/" + step.path("id").asLong() + "/runs").json().path("items");
        assertUsage(runs.get(0), "exec", "codex", 2 * IN, 2 * OUT);
        assertUsage(runs.get(1), "qa", "codex", IN, OUT);
        JsonNode planned = event(http, id, "planned").path("metadata");
        assertThat(planned.path("tokens").asLong()).isEqualTo(IN + OUT);
        assertThat(planned.path("tokens_estimated").asBoolean()).isFalse();
        assertThat(http.get("/protocols/" + id).json().path("tokens_used").asLong()).isEqualTo(4L * (IN + OUT));

        Path bare = TestRepos.originPath(url);
        assertThat(TestRepos.gitBare(bare, "show", "0001-greeting:src/hello-codex.txt")).isEqualTo("hello from codex\n");
        assertThat(TestRepos.gitBare(bare, "log", "--format=%s", "0001-greeting").lines().toList()).containsSubsequence(
                "docs(qa): pass for 01-add-greeting [protocol-0001/01]",
                "feat(greeting): add the greeting file [protocol-0001/01]",
                "chore(protocol): plan 0001-greeting [protocol-0001/00]");
    }

    @Autowired
    AgentSandbox sandbox;

    @Test
    void codexReachesTheModelThroughTheEgressPathButNotTheServicesApiRedisOrAHostSocket() throws Exception {
        probeTheNetworkFromTheCliShell("codex", "0004-net");
    }

    @Test
    void claudeReachesTheModelThroughTheEgressPathButNotTheServicesApiRedisOrAHostSocket() throws Exception {
        probeTheNetworkFromTheCliShell("claude", "0006-net");
    }

    /** The real CLI in bubblewrap runs python probes from its shell tool: only the model stand-in answers. */
    private void probeTheNetworkFromTheCliShell(String engine, String name) throws Exception {
        assumeTrue(sandbox.kind() == AgentSandbox.Kind.BWRAP, "bubblewrap is not installed here");
        String pg = "/var/run/postgresql/.s.PGSQL.5432";
        assertThat(LoopbackPorts.listening(port)).isTrue();
        // the command the model has the CLI run (Codex's exec_command, Claude Code's Bash): the greeting file, then python probes from inside the sandbox
        String probe = "import socket\n"
                + "for name, t in [(\"api\", " + port + "), (\"redis\", 6379), (\"model\", " + MODEL.port() + ")]:\n"
                + "    try:\n"
                + "        socket.create_connection((\"127.0.0.1\", t), timeout=3).close(); print(name, \"OK\")\n"
                + "    except OSError as e:\n"
                + "        print(name, \"ERR\", type(e).__name__)\n"
                + "try:\n"
                + "    u = socket.socket(socket.AF_UNIX); u.settimeout(3); u.connect(\"" + pg + "\"); print(\"pg OK\")\n"
                + "except OSError as e:\n"
                + "    print(\"pg ERR\", type(e).__name__)\n";
        // inline (base64), so no file outside the worktree must be visible to the sandbox (a checkout under /tmp is not)
        String inline = java.util.Base64.getEncoder().encodeToString(probe.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        MODEL.execCommand("mkdir -p src && printf 'hello\\n' > src/hello-" + engine + ".txt && python3 -c "
                + "\"import base64; exec(base64.b64decode('" + inline + "'))\"");
        Http http = http();
        long id = startProtocol(http, origin(engine + "-net"), name, engine);
        awaitProtocol(http, id, "completed");

        String output = toolOutputs(MODEL.modelRequests("exec").get(1)).get(0);
        assertThat(output).contains("model OK").contains("api ERR");
        if (LoopbackPorts.listening(6379)) assertThat(output).contains("redis ERR");
        if (Files.exists(Path.of(pg))) assertThat(output).contains("pg ERR");
        assertThat(output).doesNotContain("api OK", "redis OK", "pg OK");
    }

    @Test
    void claudePlansThroughStructuredOutputWithExactlyThePhasesTools() {
        Http http = http();
        String url = origin("claude");
        long id = startProtocol(http, url, "0002-greeting", "claude");
        awaitProtocol(http, id, "completed");

        List<ModelStandIn.Request> plan = MODEL.modelRequests("planning");
        assertThat(plan).hasSize(1); // the answer is the StructuredOutput call itself
        assertThat(plan.get(0).path()).startsWith("/v1/messages");
        assertThat(toolNames(plan.get(0))).containsExactly("Glob", "Grep", "Read", "StructuredOutput");
        List<ModelStandIn.Request> exec = MODEL.modelRequests("exec");
        assertThat(exec).hasSize(2);
        assertThat(toolNames(exec.get(0))).containsExactly("Bash", "Edit", "Glob", "Grep", "Read", "Write");
        assertThat(toolNames(MODEL.modelRequests("qa").get(0))).containsExactly("Glob", "Grep", "Read");

        JsonNode step = onlyStep(http, id);
        assertThat(step.path("status").asText()).isEqualTo("completed");
        JsonNode runs = http.get("/steps/" + step.path("id").asLong() + "/runs").json().path("items");
        assertUsage(runs.get(0), "exec", "claude", 2 * IN, 2 * OUT);
        assertUsage(runs.get(1), "qa", "claude", IN, OUT);
        assertThat(runs.get(0).path("cost_usd").asDouble()).isPositive();
        // no stale tool names: Claude reports no unknown deny rule in its output
        for (JsonNode run : runs) {
            assertThat(http.get("/runs/" + run.path("id").asLong() + "/log").json().path("log").asText())
                    .doesNotContain("matches no known tool");
        }

        Path bare = TestRepos.originPath(url);
        assertThat(TestRepos.gitBare(bare, "show", "0002-greeting:src/hello-claude.txt")).isEqualTo("hello from claude\n");
        assertThat(TestRepos.gitBare(bare, "show", "0002-greeting:.protocols/0002-greeting/01-add-greeting.md"))
                .contains("feat(greeting): add the greeting file");
        assertThat(TestRepos.gitBare(bare, "log", "--format=%s", "0002-greeting"))
                .contains("feat(greeting): add the greeting file [protocol-0002/01]");
    }

    @Test
    void crossEngineQaClaudeReviewsWhatCodexExecutedWithEnginesPerPhase() {
        Http http = http();
        String url = origin("cross");
        Map<String, Object> project = Map.of("default_engines", Map.of("planning", "claude", "qa", "codex"));
        long projectId = readyProject(http, url, project).path("id").asLong();
        assertThat(http.get("/projects/" + projectId).json().path("default_engines").path("planning").asText())
                .isEqualTo("claude");
        // the protocol's engines beat the project's per phase; planning falls through to the project's
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0003-cross",
                "engines", Map.of("exec", "codex", "qa", "claude"), "auto_advance", true)).json().path("id").asLong();
        assertThat(http.get("/protocols/" + id).json().path("engines").path("qa").asText()).isEqualTo("claude");
        http.post("/protocols/" + id + "/actions/start", null);
        awaitProtocol(http, id, "completed");

        assertThat(MODEL.modelRequests("planning")).singleElement().satisfies(r -> assertThat(r.path()).startsWith("/v1/messages"));
        assertThat(MODEL.modelRequests("exec")).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/responses"));
        List<ModelStandIn.Request> qa = MODEL.modelRequests("qa");
        assertThat(qa).singleElement().satisfies(r -> {
            assertThat(r.path()).startsWith("/v1/messages");
            assertThat(r.text()).contains("The step was executed by\\ncodex (model: the engine's default)");
        });
        JsonNode verdict = event(http, id, "qa_passed").path("metadata");
        assertThat(verdict.path("engine").asText()).isEqualTo("claude");
        assertThat(verdict.path("exec_engine").asText()).isEqualTo("codex");
        JsonNode step = onlyStep(http, id);
        JsonNode runs = http.get("/steps/" + step.path("id").asLong() + "/runs").json().path("items");
        assertUsage(runs.get(0), "exec", "codex", 2 * IN, 2 * OUT);
        assertUsage(runs.get(1), "qa", "claude", IN, OUT);
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "show", "0003-cross:src/hello-codex.txt"))
                .isEqualTo("hello from codex\n");
    }

    @Test
    void enginesPerPhaseRejectUnknownPhasesAndEnginesNamingTheField() {
        Http http = http();
        Http.Response badProject = http.post("/projects", Map.of("name", "bad-engines", "git_url", origin("bad"),
                "default_engines", Map.of("qa", "gpt")));
        assertThat(badProject.status()).isEqualTo(422);
        assertThat(badProject.body()).contains("default_engines.qa");
        long projectId = readyProject(http, origin("bad2"), Map.of()).path("id").asLong();
        Http.Response badProtocol = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", "0009-bad", "engines", Map.of("review", "codex")));
        assertThat(badProtocol.status()).isEqualTo(422);
        assertThat(badProtocol.body()).contains("engines.review");
    }

    long startProtocol(Http http, String url, String name, String engine) {
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", name, "description", "Add a greeting", "engine", engine, "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return id;
    }

    static JsonNode onlyStep(Http http, long id) {
        JsonNode steps = http.get("/protocols/" + id + "/steps").json().path("items");
        assertThat(steps.size()).isEqualTo(1);
        return steps.get(0);
    }

    static void assertUsage(JsonNode run, String phase, String engine, long in, long out) {
        assertThat(run.path("phase").asText()).isEqualTo(phase);
        assertThat(run.path("engine").asText()).isEqualTo(engine);
        assertThat(run.path("tokens_estimated").asBoolean()).isFalse();
        assertThat(run.path("tokens_in").asLong()).isEqualTo(in);
        assertThat(run.path("tokens_out").asLong()).isEqualTo(out);
    }
}
