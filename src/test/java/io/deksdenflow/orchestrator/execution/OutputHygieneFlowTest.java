package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * An engine error that names the worktree and carries a forged log line and ANSI escapes: the API
 * (step and protocol {@code last_error}, events, job records) shows {@code <workspace>} instead of
 * the server's path, and the service log gets the agent's text escaped, on the job's own line.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = "deksdenflow.auto-qa-after-exec=true")
class OutputHygieneFlowTest extends FlowTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    WorkspaceSettings files;

    @Test
    void engineErrorsReachTheApiWithoutServerPathsAndTheLogEscaped(CapturedOutput output) throws Exception {
        agentScript(JSON.writeValueAsString(Map.of("modes", Map.of("planning", "plan", "exec", "fail-path"), "steps", 1)));
        Http http = http();
        String url = origin("paths");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0001-paths", "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "blocked");

        String workspace = files.workspaceDir().toString();
        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        assertThat(step.path("status").asText()).isEqualTo("failed");
        String lastError = step.path("last_error").asText();
        assertThat(lastError).contains("stand-in failure in <workspace>/").contains("/src: something broke")
                .doesNotContain(workspace);
        String everything = http.get("/protocols/" + id).body() + http.get("/protocols/" + id + "/events?limit=500").body()
                + http.get("/protocols/" + id + "/steps").body() + http.get("/projects/" + projectId).body()
                + http.get("/queues/jobs?status=failed&limit=100").body();
        assertThat(everything).contains("<workspace>").doesNotContain(workspace);

        // the service log: the agent's text escaped inside the job's line, never a line of its own
        String log = output.getAll();
        assertThat(log).contains("FORGED-LOG-LINE").contains("\\n2026-01-01T00:00:00.000Z ERROR 1 --- [main] forged")
                .contains("\\u001b[31mred");
        assertThat(Arrays.stream(log.split("\n")))
                .noneMatch(l -> l.startsWith("2026-01-01T00:00:00.000Z"))
                .noneMatch(l -> l.contains("\u001b[31mred"));
    }
}
