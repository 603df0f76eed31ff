package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.TestPropertySource;

/**
 * Engine state is per project and never shared: the operator's Codex/Claude state is copied into
 * each run, the agent sees only that copy, and what one project's agent plants there (a Claude
 * {@code settings.json}, a file in {@code CODEX_HOME}) never reaches another project's agent nor the
 * operator's own directories. The operator's state lies outside /tmp (which the sandbox hides anyway),
 * as it does on a real machine.
 */
@TestPropertySource(properties = "deksdenflow.auto-qa-after-exec=true")
class EngineStateFlowTest extends FlowTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path OPERATOR = Path.of("target", "engine-state-flow", UUID.randomUUID().toString().substring(0, 8),
            "operator").toAbsolutePath();
    static final Path CODEX = OPERATOR.resolve("codex");
    static final Path CLAUDE = OPERATOR.resolve("claude");

    /** The service as an operator with CODEX_HOME and CLAUDE_CONFIG_DIR set would run it. */
    @TestConfiguration
    static class OperatorEnvironment {
        @Bean
        @Primary
        AgentSandbox operatorSandbox(SandboxSettings settings, WorkspaceSettings files, DatabaseSettings database,
                                     List<HiddenPaths> hidden) {
            write(CODEX.resolve("config.toml"), "# operator-config\nmodel = \"x\"\n");
            write(CODEX.resolve("auth.json"), "{\"OPENAI_API_KEY\":\"operator-key\"}\n");
            write(CLAUDE.resolve(".credentials.json"), "{\"claudeAiOauth\":\"operator-login\"}\n");
            write(CLAUDE.resolve(".claude.json"),
                    "{\"oauthAccount\":{\"emailAddress\":\"op@example.test\"},\"projects\":{\"/secret/path\":{}}}\n");
            write(OPERATOR.resolve("home/.profile"), "# the operator's HOME\n");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("CODEX_HOME", CODEX.toString());
            env.put("CLAUDE_CONFIG_DIR", CLAUDE.toString());
            env.put("HOME", OPERATOR.resolve("home").toString());
            return new AgentSandbox(settings, files, database, hidden, env);
        }
    }

    @Test
    void whatOneProjectsAgentPlantsInItsEngineStateNeverReachesAnotherProjectOrTheOperator() throws Exception {
        List<String> planted = List.of("$CODEX_HOME/planted.txt", "$CLAUDE_CONFIG_DIR/settings.json",
                "$CODEX_HOME/AGENTS.md", CODEX.resolve("planted-direct.txt").toString(),
                CLAUDE.resolve("settings.json").toString());
        List<String> reads = new ArrayList<>(planted);
        reads.addAll(List.of("$CODEX_HOME/config.toml", "$CODEX_HOME/auth.json", "$CLAUDE_CONFIG_DIR/.credentials.json",
                "$CLAUDE_CONFIG_DIR/.claude.json", CODEX.resolve("auth.json").toString()));
        agentScript(JSON.writeValueAsString(Map.of("modes", Map.of("planning", "plan", "exec", "exec-snoop", "qa", "qa-pass"),
                "steps", 1, "probe_read", reads, "probe_write", planted)));
        Http http = http();

        JsonNode a = run(http, "state-a", "0001-plant");
        // A's run had the operator's login and config, as copies
        assertThat(a.path("read").path("$CODEX_HOME/config.toml").asText()).startsWith("# operator-config");
        assertThat(a.path("read").path("$CODEX_HOME/auth.json").asText()).contains("operator-key");
        assertThat(a.path("read").path("$CLAUDE_CONFIG_DIR/.credentials.json").asText()).contains("operator-login");
        assertThat(a.path("read").path("$CLAUDE_CONFIG_DIR/.claude.json").asText()).contains("op@example.test")
                .doesNotContain("/secret/path");
        assertThat(a.path("write").path("$CODEX_HOME/planted.txt").asText()).isEqualTo("OK");
        assertThat(a.path("write").path("$CLAUDE_CONFIG_DIR/settings.json").asText()).isEqualTo("OK");
        if (isBwrap()) {
            // the operator's own directories are not even visible (a write there lands in an empty tmpfs)
            assertThat(a.path("read").path(CODEX.resolve("auth.json").toString()).asText()).startsWith("ERR");
        }

        JsonNode b = run(http, "state-b", "0001-probe");
        for (String p : planted) {
            assertThat(b.path("read").path(p).asText()).as("project B reading " + p).startsWith("ERR");
        }
        // the operator's own state is as the operator left it
        try (Stream<Path> files = Files.list(CODEX)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly("auth.json", "config.toml");
        }
        try (Stream<Path> files = Files.list(CLAUDE)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly(".claude.json", ".credentials.json");
        }
        assertThat(CODEX.resolve("config.toml")).hasContent("# operator-config\nmodel = \"x\"");
    }

    private boolean isBwrap() {
        return AgentSandbox.which("bwrap", System.getenv()).isPresent();
    }

    private JsonNode run(Http http, String owner, String protocol) throws Exception {
        String url = origin(owner);
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", protocol, "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "completed");
        return JSON.readTree(TestRepos.gitBare(TestRepos.originPath(url), "show", protocol + ":snoop.json"));
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
