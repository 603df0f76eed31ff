package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With the sandbox explicitly off ({@code DEKSDENFLOW_AGENT_SANDBOX=none}) the agent can write the
 * repository's git metadata; the service's own git still runs nothing the agent put there.
 */
class HostileAgentNoSandboxFlowTest extends FlowTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void noSandbox(DynamicPropertyRegistry r) {
        r.add("deksdenflow.agent-sandbox", () -> "none");
    }

    private long run(String mode, String owner, String name, Path marker) throws Exception {
        agentScript(JSON.writeValueAsString(Map.of("modes", Map.of("planning", "plan", "exec", mode),
                "steps", 1, "marker", marker.toString())));
        Http http = http();
        long projectId = readyProject(http, origin(owner), Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name, "auto_advance", true))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        awaitProtocol(http, id, "blocked");
        return id;
    }

    @Test
    void anFsmonitorWrittenIntoTheRepositoryConfigNeverRuns() throws Exception {
        Path marker = ROOT.resolve("fsmonitor-ran-" + System.nanoTime());
        long id = run("exec-fsmonitor", "fsmonitor", "0001-fsmonitor", marker);
        assertThat(marker).doesNotExist();
        assertThat(event(http(), id, "worktree_tampered").path("message").asText()).contains("core.fsmonitor");
        assertThat(eventTypes(http(), id)).doesNotContain("job_retry", "step_executed");
    }

    @Test
    void aReplacedDotGitRunsNoHookWithoutTheSandboxEither() throws Exception {
        Path marker = ROOT.resolve("hook-ran-" + System.nanoTime());
        long id = run("exec-gitdir", "gitdir-none", "0001-gitdir-none", marker);
        assertThat(marker).doesNotExist();
        assertThat(eventTypes(http(), id)).contains("worktree_tampered").doesNotContain("job_retry");
    }
}
