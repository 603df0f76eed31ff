package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.ModelStandIn;
import io.deksdenflow.orchestrator.testsupport.RealCliFlowBase;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** What the real CLIs do when the model API fails, and when a read-only phase tries to write. */
@TestPropertySource(properties = {"deksdenflow.auto-qa-after-exec=true", "deksdenflow.job-max-attempts=3",
        "deksdenflow.qa-engine=claude"})
class RealCliErrorScenariosTest extends RealCliFlowBase {

    @Test
    void aModel400FailsAtOnceAsPermanent() {
        MODEL.failNext(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"model stand-in does not exist\"}}", Map.of());
        Http http = http();
        long id = start(http, origin("perm"), "0001-perm", "claude");
        awaitProtocol(http, id, "blocked");
        assertThat(MODEL.modelRequests()).hasSize(1); // neither Claude nor the service retried
        JsonNode failed = event(http, id, "job_failed").path("metadata");
        assertThat(failed.path("attempt").asInt()).isEqualTo(1);
        assertThat(failed.path("error_class").asText()).isEqualTo("permanent");
        assertThat(failed.path("error").asText()).contains("400").contains("model stand-in does not exist");
        assertThat(eventTypes(http, id)).doesNotContain("job_retry", "planned");
    }

    @Test
    void anExecRunThatFailsPermanentlyRecordsItsErrorClassOnTheRun() {
        // planning passes; the exec turn is refused by the model API
        MODEL.failNext("exec", 401, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad key\"}}",
                Map.of());
        Http http = http();
        long id = start(http, origin("permexec"), "0006-perm-exec", "codex");
        awaitProtocol(http, id, "blocked");
        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        JsonNode runs = http.get("/steps/" + step.path("id").asLong() + "/runs").json().path("items");
        assertThat(runs.size()).isEqualTo(1);
        assertThat(runs.get(0).path("error_class").asText()).isEqualTo("permanent");
        assertThat(runs.get(0).path("error").asText()).contains("401");
    }

    @Test
    void aModel500IsRetriedAndTheNextAttemptSucceeds() {
        MODEL.failNext(500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"internal\"}}", Map.of());
        Http http = http();
        long id = start(http, origin("transient"), "0002-transient", "codex");
        awaitProtocol(http, id, "completed");
        JsonNode retry = event(http, id, "job_retry").path("metadata");
        assertThat(retry.path("error_class").asText()).isEqualTo("transient");
        assertThat(retry.path("job_type").asText()).isEqualTo("plan_protocol_job");
        assertThat(MODEL.modelRequests("planning")).hasSize(2);
    }

    @Test
    void aWriteInAReadOnlyPhaseFailsInsideTheAgentAndReachesNothing() {
        MODEL.attemptWriteInReadOnly(true);
        Http http = http();
        String codexUrl = origin("rocodex");
        long codex = start(http, codexUrl, "0003-ro-codex", "codex");
        awaitProtocol(http, codex, "completed");
        List<ModelStandIn.Request> qa = MODEL.modelRequests("qa");
        assertThat(qa).hasSize(2);
        assertThat(toolOutputs(qa.get(1))).singleElement().asString().contains("Read-only file system");

        MODEL.reset();
        MODEL.attemptWriteInReadOnly(true);
        String claudeUrl = origin("roclaude");
        long claude = start(http, claudeUrl, "0004-ro-claude", "claude");
        awaitProtocol(http, claude, "completed");
        List<ModelStandIn.Request> claudeQa = MODEL.modelRequests("qa");
        assertThat(claudeQa).hasSize(2);
        assertThat(toolNames(claudeQa.get(0))).doesNotContain("Write", "Edit", "Bash");
        assertThat(toolOutputs(claudeQa.get(1))).singleElement().asString().contains("Write");

        for (String url : List.of(codexUrl, claudeUrl)) {
            Path bare = TestRepos.originPath(url);
            String branch = url.equals(codexUrl) ? "0003-ro-codex" : "0004-ro-claude";
            assertThat(TestRepos.gitBare(bare, "ls-tree", "-r", "--name-only", branch)).doesNotContain("qa-was-here");
        }
        // the worktree on the service's disk (the API no longer shows server paths)
        long codexProject = http.get("/protocols/" + codex).json().path("project_id").asLong();
        Path worktree = contextDir.resolve("workspace/projects/" + codexProject + "/worktrees/0003-ro-codex");
        assertThat(worktree.resolve("README.md")).exists();
        assertThat(worktree.resolve("qa-was-here.txt")).doesNotExist();
    }

    @Test
    void theGlobalQaEngineReviewsWhatTheDefaultEngineExecuted() {
        Http http = http();
        long projectId = readyProject(http, origin("globalqa"), Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0005-global-qa",
                "auto_advance", true)).json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        awaitProtocol(http, id, "completed");
        assertThat(MODEL.modelRequests("exec")).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/responses"));
        assertThat(MODEL.modelRequests("qa")).singleElement().satisfies(r -> assertThat(r.path()).startsWith("/v1/messages"));
        JsonNode verdict = event(http, id, "qa_passed").path("metadata");
        assertThat(verdict.path("engine").asText()).isEqualTo("claude");
        assertThat(verdict.path("exec_engine").asText()).isEqualTo("codex");
    }

    long start(Http http, String url, String name, String engine) {
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", name, "engine", engine, "auto_advance", true)).json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return id;
    }
}
