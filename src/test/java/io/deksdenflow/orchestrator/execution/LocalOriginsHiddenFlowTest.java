package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.engine.AgentSandbox;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.Projects;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Another project's local origin is hidden from an agent: the bare repository and, for an origin whose
 * {@code .git} is a gitfile, the git directory it points at. The origins lie under {@code target/},
 * outside /tmp, which the sandbox hides anyway.
 */
@TestPropertySource(properties = "deksdenflow.auto-qa-after-exec=true")
class LocalOriginsHiddenFlowTest extends FlowTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    AgentSandbox sandbox;

    @Test
    void anAgentCannotReadAnotherProjectsLocalOrigin() throws Exception {
        assumeTrue(sandbox.kind() == AgentSandbox.Kind.BWRAP, "bubblewrap is not installed here");
        Path outside = Files.createDirectories(Path.of("target", "local-origins-flow", UUID.randomUUID().toString()
                .substring(0, 8)).toAbsolutePath());
        Http http = http();
        // project X: a bare origin outside /tmp
        String x = Projects.origin(outside, "x");
        Path xBare = TestRepos.originPath(x);
        readyProject(http, x, Map.of());
        // project Z: a checkout whose .git is a gitfile pointing at a git directory elsewhere
        Path zGitDir = outside.resolve("z-gitdir");
        Path zWork = outside.resolve("z-work");
        TestRepos.git(outside, "clone", "--quiet", "--separate-git-dir=" + zGitDir, x, zWork.toString());
        assertThat(zWork.resolve(".git")).isRegularFile();
        readyProject(http, zWork.toString(), Map.of());
        List<String> probes = List.of(xBare.resolve("HEAD").toString(), xBare.resolve("config").toString(),
                zWork.resolve("README.md").toString(), zGitDir.resolve("HEAD").toString());
        for (String p : probes) assertThat(Path.of(p)).as("precondition: %s exists", p).exists();

        agentScript(JSON.writeValueAsString(Map.of("modes", Map.of("planning", "plan", "exec", "exec-snoop", "qa", "qa-pass"),
                "steps", 1, "probe_read", probes)));
        String y = origin("y");
        long projectId = readyProject(http, y, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0001-peek", "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "completed");

        JsonNode found = JSON.readTree(TestRepos.gitBare(TestRepos.originPath(y), "show", "0001-peek:snoop.json"));
        for (String p : probes) {
            assertThat(found.path("read").path(p).asText()).as("project Y's agent reading " + p).startsWith("ERR");
        }
    }
}
