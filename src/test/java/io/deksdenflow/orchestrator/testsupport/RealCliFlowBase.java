package io.deksdenflow.orchestrator.testsupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.engine.AgentSandbox;
import io.deksdenflow.orchestrator.engine.HiddenPaths;
import io.deksdenflow.orchestrator.engine.SandboxSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with the real Codex CLI and Claude Code (see {@link AgentClis}) talking to a
 * {@link ModelStandIn}, set up as the README's "local model server" recipe says: Codex through a
 * custom provider in the operator's {@code $CODEX_HOME/config.toml}, Claude through
 * {@code ANTHROPIC_BASE_URL} and {@code ANTHROPIC_API_KEY}. The service under test cannot change its own
 * environment, so the engines' binaries are wrappers that export the API variables and exec the real
 * CLI, and the sandbox is given the environment an operator with {@code CODEX_HOME} and
 * {@code CLAUDE_CONFIG_DIR} set would run the service with ({@link OperatorEnvironment}): the service
 * copies that state into each run's own (under {@code target/}, outside /tmp, so Codex's own sandbox
 * helper works). The agent sandbox is whatever {@code auto} finds (bubblewrap on CI machines).
 */
@SlowTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(RealCliFlowBase.OperatorEnvironment.class)
public abstract class RealCliFlowBase {
    protected static final ModelStandIn MODEL = new ModelStandIn();
    protected static final Path HOMES;
    protected static final Path ROOT;

    static {
        // outside /tmp: Codex does not set up its own sandbox helper under a temporary directory (a checkout
        // under /tmp puts target/ there too: then under the user's cache directory)
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path target = Path.of("target").toAbsolutePath();
        HOMES = target.startsWith(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath())
                ? Path.of(System.getProperty("user.home"), ".cache", "deksdenflow-tests", "real-cli", id)
                : target.resolve("real-cli").resolve(id);
        try {
            ROOT = Files.createTempDirectory("dfo-real-cli");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    protected int port;

    /** This class's context: its directory (database, workspace), wrappers and sandbox-writable list. */
    protected static Path contextDir;
    protected static Path codexWrapper;
    protected static Path claudeWrapper;
    protected static String sandboxWritable;

    /** The service's environment as an operator with CODEX_HOME and CLAUDE_CONFIG_DIR set would have it. */
    @TestConfiguration
    public static class OperatorEnvironment {
        @Bean
        @Primary
        AgentSandbox operatorSandbox(SandboxSettings settings, WorkspaceSettings files, DatabaseSettings database,
                                     List<HiddenPaths> hidden) {
            Map<String, String> env = new HashMap<>(System.getenv());
            env.putAll(operatorEnv());
            env.remove("DEKSDENFLOW_ENGINE_STATE_DIR");
            return new AgentSandbox(settings, files, database, hidden, env);
        }
    }

    /** CODEX_HOME, CLAUDE_CONFIG_DIR and DEKSDENFLOW_ENGINE_STATE_DIR of a service process (a child worker JVM). */
    protected static Map<String, String> operatorEnv() {
        return Map.of("CODEX_HOME", HOMES.resolve("codex-home").toString(),
                "CLAUDE_CONFIG_DIR", HOMES.resolve("claude-config").toString(),
                "DEKSDENFLOW_ENGINE_STATE_DIR", HOMES.resolve("engine-state").toString());
    }

    @DynamicPropertySource
    static void realCliProperties(DynamicPropertyRegistry r) {
        Path own = dir(ROOT.resolve("context-" + UUID.randomUUID().toString().substring(0, 8)));
        contextDir = own;
        r.add("deksdenflow.db-path", () -> own.resolve("db.sqlite").toString());
        r.add("deksdenflow.workspace", () -> own.resolve("workspace").toString());
        r.add("deksdenflow.routes-dir", () -> ROOT.resolve("no-routes").toString());
        r.add("deksdenflow.job-backoff-seconds", () -> "1");
        r.add("deksdenflow.job-backoff-max-seconds", () -> "1");
        AgentClis.Installed clis = AgentClis.ensure();
        if (clis == null) return; // every test skips in @BeforeEach
        Path codexHome = dir(HOMES.resolve("codex-home"));
        dir(HOMES.resolve("claude-config"));
        useCodexHome(codexHome);
        // inside the CLIs' own node_modules: the sandbox shows an agent program's whole npm tree, so the
        // wrappers and the CLIs they exec stay visible wherever the checkout is (/tmp included)
        Path bin = dir(AgentClis.DIR.resolve("node_modules").resolve(".dfo-wrappers").resolve(HOMES.getFileName()));
        Path codex = script(bin.resolve("codex"), List.of("OPENAI_API_KEY=stand-in-key"), clis.codex());
        Path claude = script(bin.resolve("claude"), List.of(
                "ANTHROPIC_BASE_URL=" + MODEL.anthropicBaseUrl(), "ANTHROPIC_API_KEY=stand-in-key",
                "CLAUDE_CODE_MAX_RETRIES=0",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_AUTOUPDATER=1"), clis.claude());
        codexWrapper = codex;
        claudeWrapper = claude;
        sandboxWritable = ""; // the engines' state is the service's to give each run, not a shared writable folder
        r.add("deksdenflow.codex-bin", codex::toString);
        r.add("deksdenflow.claude-bin", claude::toString);
        r.add("deksdenflow.engine-state-dir", () -> operatorEnv().get("DEKSDENFLOW_ENGINE_STATE_DIR"));
        r.add("deksdenflow.engine-timeout", () -> "90");
        // in bubblewrap the agents have their own network namespace: the stand-in's loopback port is
        // reachable only because the allow-list names it
        r.add("deksdenflow.agent-egress", () -> "127.0.0.1:" + MODEL.port());
    }

    @BeforeEach
    void realClisInstalled() {
        assumeTrue(AgentClis.ensure() != null, () -> "real agent CLIs unavailable: " + AgentClis.failure());
        MODEL.reset();
        useCodexHome(HOMES.resolve("codex-home"));
    }

    /**
     * Writes the stand-in provider's config.toml into {@code home}: the operator's CODEX_HOME (copied into
     * each run by the service), or another directory the Codex wrapper then uses as CODEX_HOME itself,
     * bypassing the service's copy (to put it under /tmp).
     */
    protected static void useCodexHome(Path home) {
        dir(home);
        try {
            if (home.equals(HOMES.resolve("codex-home"))) Files.deleteIfExists(HOMES.resolve("codex-home-path"));
            else write(HOMES.resolve("codex-home-path"), home.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(home.resolve("config.toml"), """
                model = "stand-in-model"
                model_provider = "local"

                [model_providers.local]
                name = "local model server"
                base_url = "%s"
                wire_api = "responses"
                env_key = "OPENAI_API_KEY"
                request_max_retries = 0
                stream_max_retries = 0
                """.formatted(MODEL.openAiBaseUrl()));
    }

    protected Http http() {
        return new Http(port);
    }

    /** A bare origin with one commit on main. */
    protected static String origin(String owner) {
        return Projects.origin(ROOT, owner);
    }

    protected JsonNode readyProject(Http http, String gitUrl, Map<String, Object> extra) {
        return Projects.ready(http, gitUrl, extra);
    }

    /** Waits for {@code status}; stops early (failing with the events) when the protocol settles elsewhere. */
    protected JsonNode awaitProtocol(Http http, long id, String status) {
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String now = http.get("/protocols/" + id).json().path("status").asText();
            return now.equals(status) || (!status.equals(now) && now.matches("blocked|failed|cancelled|completed"));
        });
        JsonNode p = http.get("/protocols/" + id).json();
        if (!p.path("status").asText().equals(status)) {
            throw new AssertionError("protocol is " + p.path("status").asText() + ", not " + status + "; events: "
                    + http.get("/protocols/" + id + "/events?limit=500").json().path("items"));
        }
        return p;
    }

    protected List<String> eventTypes(Http http, long protocolId) {
        return Projects.eventTypes(http, protocolId);
    }

    protected JsonNode event(Http http, long protocolId, String type) {
        return Projects.event(http, protocolId, type);
    }

    /** Names of the tools a Messages request offered, sorted. */
    protected static List<String> toolNames(ModelStandIn.Request r) {
        List<String> out = new ArrayList<>();
        r.body().path("tools").forEach(t -> out.add(t.path("name").asText(t.path("type").asText())));
        out.sort(String::compareTo);
        return out;
    }

    /** The outputs of the tool calls a Responses request carries back to the model. */
    protected static List<String> toolOutputs(ModelStandIn.Request r) {
        List<String> out = new ArrayList<>();
        for (JsonNode item : r.body().path("input")) {
            if (item.path("type").asText().endsWith("call_output")) out.add(item.path("output").toString());
        }
        for (JsonNode m : r.body().path("messages")) {
            for (JsonNode c : m.path("content")) {
                if ("tool_result".equals(c.path("type").asText())) out.add(c.path("content").toString());
            }
        }
        return out;
    }

    private static Path script(Path file, List<String> env, Path target) {
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        for (String kv : env) {
            int eq = kv.indexOf('=');
            sb.append("export ").append(kv, 0, eq).append("='").append(kv.substring(eq + 1)).append("'\n");
        }
        if (file.getFileName().toString().equals("codex")) {
            Path override = HOMES.resolve("codex-home-path");
            sb.append("if [ -f '").append(override).append("' ]; then CODEX_HOME=$(cat '").append(override)
                    .append("'); export CODEX_HOME; fi\n");
        }
        sb.append("exec '").append(target).append("' \"$@\"\n");
        write(file, sb.toString());
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static Path dir(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
