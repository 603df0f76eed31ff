package io.deksdenflow.orchestrator.testsupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service with the real Codex CLI and Claude Code (see {@link AgentClis}) talking to a
 * {@link ModelStandIn}, set up as the README's "local model server" recipe says: Codex through a
 * custom provider in {@code $CODEX_HOME/config.toml}, Claude through {@code ANTHROPIC_BASE_URL} and
 * {@code ANTHROPIC_API_KEY}. The service under test cannot change its own environment, so the
 * engines' binaries are wrappers that export that environment and exec the real CLI. The agent
 * sandbox is whatever {@code auto} finds (bubblewrap on CI machines).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RealCliFlowBase {
    protected static final ModelStandIn MODEL = new ModelStandIn();
    protected static final Path HOMES;
    protected static final Path ROOT;

    static {
        // outside /tmp: Codex does not set up its own sandbox helper under a temporary directory
        HOMES = Path.of("target", "real-cli", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
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
        Path claudeConfig = dir(HOMES.resolve("claude-config"));
        useCodexHome(codexHome);
        Path bin = dir(HOMES.resolve("bin"));
        Path codex = script(bin.resolve("codex"), List.of("OPENAI_API_KEY=stand-in-key"), clis.codex());
        Path claude = script(bin.resolve("claude"), List.of(
                "ANTHROPIC_BASE_URL=" + MODEL.anthropicBaseUrl(), "ANTHROPIC_API_KEY=stand-in-key",
                "CLAUDE_CONFIG_DIR=" + claudeConfig, "CLAUDE_CODE_MAX_RETRIES=0",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "DISABLE_AUTOUPDATER=1"), clis.claude());
        codexWrapper = codex;
        claudeWrapper = claude;
        sandboxWritable = codexHome + "," + claudeConfig;
        r.add("deksdenflow.codex-bin", codex::toString);
        r.add("deksdenflow.claude-bin", claude::toString);
        r.add("deksdenflow.agent-sandbox-writable", () -> codexHome + "," + claudeConfig);
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

    /** Points the Codex wrapper at another CODEX_HOME (its config.toml written there). */
    protected static void useCodexHome(Path home) {
        dir(home);
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
        write(HOMES.resolve("codex-home-path"), home.toString());
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
            sb.append("CODEX_HOME=$(cat '").append(HOMES.resolve("codex-home-path")).append("')\nexport CODEX_HOME\n");
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
