package io.deksdenflow.orchestrator.testsupport;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service in one process (api + workers, embedded Redis), with the stand-in agent as the
 * codex binary. Each test writes the agent's script ({@link #agentScript}) before it starts work.
 */
@SlowTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class FlowTestBase {
    protected static final Path ROOT;
    protected static final Path SCRIPT;
    /** The stand-in agent's own log of its calls (argv, cwd, phase, mode, the prompt on stdin), one JSON line each. */
    protected static final Path AGENT_CALLS;

    static {
        try {
            ROOT = Files.createTempDirectory("dfo-flow");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        SCRIPT = ROOT.resolve("agent").resolve("stand-in-script.json");
        AGENT_CALLS = ROOT.resolve("agent").resolve("calls.jsonl");
    }

    @LocalServerPort
    protected int port;

    @DynamicPropertySource
    static void flowProperties(DynamicPropertyRegistry r) {
        Path codex = StandInAgent.wrapper(ROOT.resolve("agent"), "codex",
                Map.of("STAND_IN_SCRIPT", SCRIPT.toString(), "STAND_IN_PID_FILE", ROOT.resolve("agent/pids").toString(),
                        "STAND_IN_ARGV_FILE", AGENT_CALLS.toString()));
        // one database and workspace per Spring context: cached contexts must not relay each other's jobs
        Path own;
        try {
            own = Files.createTempDirectory(ROOT, "context");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        r.add("deksdenflow.db-path", () -> own.resolve("db.sqlite").toString());
        r.add("deksdenflow.workspace", () -> own.resolve("workspace").toString());
        r.add("deksdenflow.routes-dir", () -> ROOT.resolve("no-routes").toString());
        r.add("deksdenflow.codex-bin", codex::toString);
        r.add("deksdenflow.claude-bin", () -> ROOT.resolve("no-such-claude").toString());
        r.add("deksdenflow.job-backoff-seconds", () -> "1");
        r.add("deksdenflow.job-backoff-max-seconds", () -> "1");
        r.add("deksdenflow.engine-timeout", () -> "120");
        // the stand-in keeps its mode-list state beside its script: the one place outside the worktree it writes
        r.add("deksdenflow.agent-sandbox-writable", () -> ROOT.resolve("agent").toString());
    }

    protected Http http() {
        return new Http(port);
    }

    /** Replaces the stand-in agent's script and forgets the state of its mode lists. */
    protected static void agentScript(String json) {
        StandInAgent.script(SCRIPT.getParent(), json);
        try {
            Files.deleteIfExists(Path.of(SCRIPT + ".state"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A bare origin at {@code <tmp>/<owner>/origin.git} with one commit on main. */
    protected static String origin(String owner) {
        return Projects.origin(ROOT, owner);
    }

    protected JsonNode readyProject(Http http, String gitUrl, Map<String, Object> extra) {
        return Projects.ready(http, gitUrl, extra);
    }

    protected JsonNode awaitProtocol(Http http, long id, String status) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.get("/protocols/" + id).json().path("status").asText().equals(status));
        return http.get("/protocols/" + id).json();
    }

    protected List<String> eventTypes(Http http, long protocolId) {
        return Projects.eventTypes(http, protocolId);
    }

    protected JsonNode event(Http http, long protocolId, String type) {
        return Projects.event(http, protocolId, type);
    }
}
