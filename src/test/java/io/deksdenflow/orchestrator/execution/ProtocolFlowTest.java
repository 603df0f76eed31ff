package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The whole flow with real git (file:// origin), Redis, workers and the stand-in agent. */
@TestPropertySource(properties = "deksdenflow.auto-qa-after-exec=true")
class ProtocolFlowTest extends FlowTestBase {
    @Autowired
    Workspace workspace;

    @Test
    void fromRegistrationToACompletedProtocolVerifiedOnOrigin() {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":2}");
        Http http = http();
        String url = origin("acme");
        JsonNode project = readyProject(http, url, Map.of());
        assertThat(project.path("status").asText()).isEqualTo("ready");
        long projectId = project.path("id").asLong();

        long id = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", "0001-add-login", "description", "Add a login page", "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        JsonNode done = awaitProtocol(http, id, "completed");
        assertThat(done.path("tokens_used").asLong()).isPositive();

        JsonNode steps = http.get("/protocols/" + id + "/steps").json().path("items");
        assertThat(steps.size()).isEqualTo(2);
        for (JsonNode s : steps) {
            assertThat(s.path("status").asText()).isEqualTo("completed");
            assertThat(s.path("qa_verdict").asText()).isEqualTo("pass");
            assertThat(s.path("execution_commit").asText()).hasSize(40);
            assertThat(s.path("tokens_used").asLong()).isPositive();
            JsonNode runs = http.get("/steps/" + s.path("id").asLong() + "/runs").json().path("items");
            assertThat(runs.size()).isEqualTo(2);
            assertThat(runs.get(0).path("phase").asText()).isEqualTo("exec");
            assertThat(runs.get(1).path("phase").asText()).isEqualTo("qa");
            JsonNode log = http.get("/runs/" + runs.get(0).path("id").asLong() + "/log").json();
            assertThat(log.path("log").asText()).isNotBlank();
        }
        List<String> types = eventTypes(http, id);
        assertThat(types).contains("planned", "step_executed", "qa_passed", "protocol_completed");
        JsonNode planned = event(http, id, "planned").path("metadata");
        assertThat(planned.path("step_count").asInt()).isEqualTo(2);
        assertThat(planned.path("engine").asText()).isEqualTo("codex");
        assertThat(planned.path("prompt_template_hash").asText()).hasSize(64);

        // on origin: plan files, step files, one QA report per step, tagged commits
        Path bare = TestRepos.originPath(url);
        List<String> files = Arrays.asList(TestRepos.gitBare(bare, "ls-tree", "-r", "--name-only", "0001-add-login").split("\n"));
        String dir = ".protocols/0001-add-login/";
        assertThat(files).contains(dir + "plan.md", dir + "context.md", dir + "log.md");
        assertThat(files.stream().filter(f -> f.startsWith(dir) && f.endsWith(".qa.md")).count()).isEqualTo(2);
        String log = TestRepos.gitBare(bare, "log", "--format=%s", "0001-add-login");
        assertThat(log).contains("chore(protocol): plan 0001-add-login [protocol-0001/00]");
        assertThat(log).contains("[protocol-0001/01]");
    }

    @Test
    void qaFailBlocksTheProtocolWithTheFindings() {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-fail\"},\"steps\":1}");
        Http http = http();
        long projectId = readyProject(http, origin("qa"), Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0002-qa-fail", "auto_advance", true))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        JsonNode blocked = awaitProtocol(http, id, "blocked");
        assertThat(blocked.path("allowed_actions").toString()).contains("retry_latest");
        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        assertThat(step.path("status").asText()).isEqualTo("failed");
        assertThat(step.path("qa_verdict").asText()).isEqualTo("fail");
        assertThat(step.path("qa_report").asText()).containsIgnoringCase("verdict");
        assertThat(event(http, id, "qa_failed").path("metadata").path("findings").asText()).isNotBlank();
        // a person can still approve the failed step, which completes the protocol
        assertThat(http.post("/steps/" + step.path("id").asLong() + "/actions/approve", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "completed");
    }

    @Test
    void aHostilePlanWritesNothingAndBlocks() {
        agentScript("{\"modes\":{\"planning\":\"plan-hostile\"}}");
        Http http = http();
        String url = origin("hostile");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0003-hostile"))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        awaitProtocol(http, id, "blocked");
        assertThat(event(http, id, "plan_invalid").path("message").asText()).contains("rejected");
        assertThat(http.get("/protocols/" + id + "/steps").json().path("items").size()).isZero();
        assertThat(http.get("/protocols/" + id).json().has("worktree_path")).isFalse(); // disk paths stay on the server
        assertThat(http.get("/events?project_id=" + projectId + "&limit=500").body()).doesNotContain(workspace.repo(projectId).toString());
        Path worktree = workspace.worktree(projectId, "0003-hostile");
        assertThat(worktree.resolve(".protocols")).doesNotExist();
        assertThat(worktree.getParent().resolve("evil.md")).doesNotExist();
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "branch", "--list", "0003-hostile")).isBlank();
    }

    @Test
    void aMissingAgentBinaryFailsAtOnceNamingTheVariable() {
        Http http = http();
        long projectId = readyProject(http, origin("missing"), Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0004-missing", "engine", "claude"))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        awaitProtocol(http, id, "blocked");
        JsonNode failed = event(http, id, "job_failed");
        assertThat(failed.path("message").asText()).contains("DEKSDENFLOW_CLAUDE_BIN");
        assertThat(failed.path("metadata").path("attempt").asInt()).isEqualTo(1);
        assertThat(eventTypes(http, id)).doesNotContain("job_retry", "planned");
    }

    @Test
    void cancelKillsTheRunningAgentsProcessTree() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"hang\"},\"steps\":1}");
        Path pids = ROOT.resolve("agent/pids");
        Files.deleteIfExists(pids);
        Http http = http();
        long projectId = readyProject(http, origin("cancel"), Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0005-cancel", "auto_advance", true))
                .json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(pids) && !Files.readString(pids).isBlank());
        // the pids the agent wrote are those of its sandbox's PID namespace: find the host's by command line
        long[] tree = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").matches(".*(stand-in-agent exec|time\\.sleep\\(600\\)).*"))
                .mapToLong(ProcessHandle::pid).toArray();
        assertThat(tree).hasSizeGreaterThanOrEqualTo(2);
        assertThat(http.post("/protocols/" + id + "/actions/cancel", null).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(tree)
                .allMatch(pid -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)));
        await().atMost(Duration.ofSeconds(30)).until(() -> eventTypes(http, id).contains("job_cancelled"));
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("cancelled");
        assertThat(http.get("/protocols/" + id + "/steps").json().path("items").get(0).path("status").asText()).isEqualTo("cancelled");
    }
}
