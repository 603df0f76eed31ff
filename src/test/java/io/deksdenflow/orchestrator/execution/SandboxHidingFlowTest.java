package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.engine.AgentSandbox;
import static org.awaitility.Awaitility.await;

import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.Projects;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import io.deksdenflow.orchestrator.testsupport.StandInAgent;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Each hiding rule on its own: the database, the key file and the workspace lie outside /tmp and HOME
 * (both private to the sandbox anyway) and outside each other's folder, so only the rule for each
 * hides it. A snooping agent, with bubblewrap on, tries to read all three and to write beside them.
 */
@SlowTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SandboxHidingFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path OWN = Path.of("target", "hiding-" + UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();
    private static final Path DB = OWN.resolve("data/db.sqlite");
    private static final Path KEY = OWN.resolve("keys/secrets.key");
    private static final Path WORKSPACE = OWN.resolve("ws");

    private static final Path SCRIPT = OWN.resolve("agent/stand-in-script.json");

    @Autowired
    AgentSandbox sandbox;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void outsideTmp(DynamicPropertyRegistry r) throws Exception {
        Files.createDirectories(DB.getParent());
        Files.createDirectories(KEY.getParent());
        r.add("deksdenflow.db-path", DB::toString);
        r.add("deksdenflow.secrets-key-file", KEY::toString);
        r.add("deksdenflow.workspace", WORKSPACE::toString);
        r.add("deksdenflow.routes-dir", () -> OWN.resolve("no-routes").toString());
        Path codex = StandInAgent.wrapper(OWN.resolve("agent"), "codex", Map.of("STAND_IN_SCRIPT", SCRIPT.toString()));
        r.add("deksdenflow.codex-bin", codex::toString);
        r.add("deksdenflow.job-backoff-seconds", () -> "1");
        r.add("deksdenflow.job-backoff-max-seconds", () -> "1");
        r.add("deksdenflow.auto-qa-after-exec", () -> "true");
    }

    private String origin(String owner) {
        return Projects.origin(OWN, owner);
    }

    @Test
    void theDatabaseTheKeyAndOtherProjectsAreHiddenEachByItsOwnRule() throws Exception {
        assertThat(sandbox.kind()).isEqualTo(AgentSandbox.Kind.BWRAP);
        // from a checkout under /tmp or HOME these are hidden by that rule as well; elsewhere only by their own
        Http http = new Http(port);
        long other = Projects.ready(http, origin("hiding-other"), Map.of("secrets", Map.of("GITHUB_TOKEN", "ghp_other_team")))
                .path("id").asLong();
        Path otherReadme = WORKSPACE.resolve("projects").resolve(Long.toString(other)).resolve("repo/README.md");
        // the files exist on the host, where the test reads them
        assertThat(DB).exists();
        assertThat(KEY).exists();
        assertThat(otherReadme).exists();
        Path besideDb = DB.resolveSibling("agent-was-here");
        StandInAgent.script(SCRIPT.getParent(), JSON.writeValueAsString(Map.of("modes", Map.of("planning", "plan", "exec", "exec-snoop", "qa", "qa-pass"),
                "steps", 1,
                "probe_read", List.of(DB.toString(), KEY.toString(), otherReadme.toString()),
                "probe_write", List.of(besideDb.toString()))));
        String url = origin("hiding-snoop");
        long projectId = Projects.ready(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0001-hiding",
                "auto_advance", true)).json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(120)).until(() -> http.get("/protocols/" + id).json().path("status").asText(),
                "completed"::equals);

        JsonNode found = JSON.readTree(TestRepos.gitBare(TestRepos.originPath(url), "show", "0001-hiding:snoop.json"));
        assertThat(found.path("read").path(DB.toString()).asText()).startsWith("ERR");
        assertThat(found.path("read").path(KEY.toString()).asText()).startsWith("ERR");
        assertThat(found.path("read").path(otherReadme.toString()).asText()).startsWith("ERR");
        // the database's folder is an empty scratch in the sandbox: a write there never reaches the host
        assertThat(besideDb).doesNotExist();
    }
}
