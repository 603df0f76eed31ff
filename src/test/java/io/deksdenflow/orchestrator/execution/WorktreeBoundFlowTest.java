package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** DEKSDENFLOW_WORKTREE_MAX_MB: an agent that fills its worktree fails its step, never retried, nothing pushed. */
@TestPropertySource(properties = "deksdenflow.worktree-max-mb=1")
class WorktreeBoundFlowTest extends FlowTestBase {

    @Test
    void aWorktreeOverTheBoundFailsTheStepWithTheReasonAndPushesNothing() {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-nocommit\"},\"steps\":1,\"big_file_mb\":3}");
        Http http = http();
        String url = origin("too-large");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0001-too-large",
                "auto_advance", true)).json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "blocked");

        JsonNode tooLarge = event(http, id, "worktree_too_large");
        assertThat(tooLarge.path("message").asText()).contains("1 MB", "DEKSDENFLOW_WORKTREE_MAX_MB");
        assertThat(eventTypes(http, id)).contains("job_failed").doesNotContain("job_retry", "step_executed");
        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        assertThat(step.path("status").asText()).isEqualTo("failed");
        String onOrigin = TestRepos.gitBare(TestRepos.originPath(url), "ls-tree", "-r", "--name-only", "0001-too-large");
        assertThat(onOrigin).doesNotContain("big.bin", "stand-in-0.txt");
    }
}
