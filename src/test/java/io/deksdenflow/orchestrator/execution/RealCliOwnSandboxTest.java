package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.ModelStandIn;
import io.deksdenflow.orchestrator.testsupport.RealCliFlowBase;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * With the service's sandbox off Codex keeps its own ({@code read-only} / {@code workspace-write}),
 * which keeps the worktree's git metadata read-only: the service commits. When Codex's own sandbox
 * cannot start, the run fails and says what to do, never a silent pass.
 */
@TestPropertySource(properties = {"deksdenflow.auto-qa-after-exec=true", "deksdenflow.agent-sandbox=none",
        "deksdenflow.job-max-attempts=2"})
class RealCliOwnSandboxTest extends RealCliFlowBase {

    @Test
    void codexInItsOwnSandboxWritesAndTheServiceCommits() {
        Http http = http();
        String url = origin("own");
        long id = start(http, url, "0001-own-sandbox");
        awaitProtocol(http, id, "completed");
        List<ModelStandIn.Request> exec = MODEL.modelRequests("exec");
        assertThat(exec).hasSize(2);
        assertThat(toolOutputs(exec.get(1))).singleElement().asString().contains("Process exited with code 0");
        Path bare = TestRepos.originPath(url);
        assertThat(TestRepos.gitBare(bare, "show", "0001-own-sandbox:src/hello-codex.txt")).isEqualTo("hello from codex\n");
        assertThat(TestRepos.gitBare(bare, "log", "--format=%s", "0001-own-sandbox"))
                .contains("feat(greeting): add the greeting file [protocol-0001/01]")
                .doesNotContain("leftovers");
    }

    @Test
    void codexWhoseOwnSandboxCannotStartFailsTheRunSayingWhatToSet() throws Exception {
        useCodexHome(Files.createTempDirectory("codex-home-in-tmp"));
        Http http = http();
        long id = start(http, origin("nohelper"), "0002-no-helper");
        awaitProtocol(http, id, "blocked");
        JsonNode failed = event(http, id, "job_failed").path("metadata");
        assertThat(failed.path("error_class").asText()).isEqualTo("permanent");
        assertThat(failed.path("attempt").asInt()).isEqualTo(1);
        assertThat(failed.path("error").asText()).contains("codex-linux-sandbox").contains("CODEX_HOME")
                .contains("DEKSDENFLOW_AGENT_SANDBOX=bwrap");
        assertThat(eventTypes(http, id)).doesNotContain("planned");
    }

    @Test
    void anExecThatChangedNothingAndReportedAFailedCommandIsNotAnExecution() {
        MODEL.execCommand("cat no-such-file");
        Http http = http();
        String url = origin("nochange");
        long id = start(http, url, "0003-no-change");
        awaitProtocol(http, id, "blocked");
        JsonNode failed = event(http, id, "job_failed");
        assertThat(failed.path("metadata").path("job_type").asText()).isEqualTo("execute_step_job");
        assertThat(failed.path("message").asText()).contains("the agent changed nothing and a tool call failed")
                .contains("cat no-such-file");
        assertThat(failed.path("metadata").path("error_class").asText()).isEqualTo("transient");
        assertThat(eventTypes(http, id)).contains("job_retry").doesNotContain("step_executed");
        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        assertThat(step.path("status").asText()).isEqualTo("failed");
        JsonNode runs = http.get("/steps/" + step.path("id").asLong() + "/runs").json().path("items");
        assertThat(runs.size()).isEqualTo(2); // one per attempt
        runs.forEach(r -> assertThat(r.path("error_class").asText()).isEqualTo("transient"));
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "log", "--format=%s", "0003-no-change"))
                .doesNotContain("[protocol-0003/01]");
    }

    long start(Http http, String url, String name) {
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", name, "engine", "codex", "auto_advance", true)).json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return id;
    }
}
