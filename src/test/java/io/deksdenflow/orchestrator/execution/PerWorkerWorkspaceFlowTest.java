package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.engine.EngineRunStore;
import io.deksdenflow.orchestrator.protocol.StepLifecycle;
import io.deksdenflow.orchestrator.queue.JobRecord;
import io.deksdenflow.orchestrator.queue.JobStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.QueueSettings;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import io.deksdenflow.orchestrator.worker.ProtocolLeases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole service as a worker with its own disk (DEKSDENFLOW_WORKSPACE_SHARED=false) beside "worker A", which the
 * test plays with a clone of its own and the protocol's lease: origin's branch is the checkpoint, exactly-once
 * adoption works from origin, and engine run logs are served from the database.
 */
@TestPropertySource(properties = {"deksdenflow.workspace-shared=false", "deksdenflow.auto-qa-after-exec=true"})
class PerWorkerWorkspaceFlowTest extends FlowTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired StringRedisTemplate redis;
    @Autowired QueueSettings queueSettings;
    @Autowired RedisJobQueue queue;
    @Autowired StepLifecycle stepLifecycle;
    @Autowired WorkspaceSettings workspaceSettings;
    @Autowired EngineRunStore engineRuns;

    @Test
    void aStepWorkerACommittedAndPushedBeforeItDiedIsAdoptedFromOriginWithoutRunningTheAgentAgain() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Http http = http();
        String url = origin("per-worker-adopt");
        Path bare = TestRepos.originPath(url);
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", "0001-adopt", "auto_advance", false)).json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "planned");
        String planned = TestRepos.gitBare(bare, "rev-parse", "0001-adopt").strip();

        // worker A holds the protocol: the service's own worker finds it busy and waits
        ProtocolLeases workerA = new ProtocolLeases(redis, queueSettings.queueNamespace(), true, Duration.ofSeconds(60));
        try {
            ProtocolLeases.Lease lease = workerA.acquire(Job.create(JobType.EXECUTE_STEP_JOB, projectId, id, null, 3, "a", 0));
            assertThat(lease.granted()).isTrue();
            assertThat(http.post("/protocols/" + id + "/actions/run_next_step", null).status()).isEqualTo(202);
            JobRecord exec = await().atMost(Duration.ofSeconds(30)).until(() -> execJob(id), Optional::isPresent).get();

            // A's first attempt of that job: it records its start, commits the step's work, pushes it ... and dies
            stepLifecycle.execStarting(exec.stepRunId(), exec.jobId(), planned);
            Path cloneA = tmpClone(url, "0001-adopt");
            TestRepos.write(cloneA.resolve("src/from-a.txt"), "worker A's work\n");
            TestRepos.git(cloneA, "add", "-A");
            TestRepos.git(cloneA, "-c", "user.name=A", "-c", "user.email=a@example.test", "commit", "-q", "-m",
                    "feat(adopt): worker A's work [protocol-0001/00]");
            TestRepos.git(cloneA, "push", "-q", "origin", "0001-adopt");
            String pushedByA = TestRepos.git(cloneA, "rev-parse", "HEAD").strip();
            assertThat(eventTypes(http, id)).doesNotContain("step_executed");
            lease.close(); // its lease is gone (expired, here released at once to keep the test short)

            await().atMost(Duration.ofSeconds(120)).until(() -> eventTypes(http, id).contains("step_executed"));
            JsonNode executed = event(http, id, "step_executed").path("metadata");
            assertThat(executed.path("adopted").asBoolean()).as(executed.toString()).isTrue();
            assertThat(executed.path("commit").asText()).isEqualTo(pushedByA);
            assertThat(execCalls("0001-adopt")).isEmpty(); // the agent did not run the step again
            assertThat(TestRepos.gitBare(bare, "log", "--format=%s", "0001-adopt").lines()
                    .filter(l -> l.startsWith("feat(")).toList())
                    .containsExactly("feat(adopt): worker A's work [protocol-0001/00]");
            // this worker's stale worktree (it made the plan there) was brought to origin's head first
            Path worktree = workspaceSettings.workspaceDir().resolve("projects/" + projectId + "/worktrees/0001-adopt");
            assertThat(worktree.resolve("src/from-a.txt")).hasContent("worker A's work");
            assertThat(TestRepos.gitBare(bare, "rev-parse", "0001-adopt").strip())
                    .startsWith(TestRepos.git(worktree, "rev-parse", "HEAD").strip().substring(0, 12));
        } finally {
            workerA.destroy();
        }
    }

    @Test
    void aProtocolCompletesWithItsWorkOnceOnOriginAndItsRunLogsAreServedFromTheDatabase() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":2}");
        Http http = http();
        String url = origin("per-worker-flow");
        Path bare = TestRepos.originPath(url);
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", "0001-flow", "auto_advance", true)).json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "completed");

        List<String> subjects = TestRepos.gitBare(bare, "log", "--format=%s", "0001-flow").lines().toList();
        assertThat(subjects.stream().filter(s -> s.equals("feat(0001-flow): 00-setup.md [protocol-0001/00]")))
                .as(subjects.toString()).hasSize(1);
        assertThat(subjects.stream().filter(s -> s.equals("feat(0001-flow): 01-step-1.md [protocol-0001/01]")))
                .as(subjects.toString()).hasSize(1);
        assertThat(event(http, id, "step_executed").path("metadata").path("worktree").asText()).isIn("cold", "warm");

        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        JsonNode runs = http.get("/steps/" + step.path("id").asLong() + "/runs").json().path("items");
        long runId = runs.get(0).path("id").asLong();
        EngineRunStore.EngineRun run = engineRuns.get(runId);
        String live = Files.readString(Path.of(run.logPath()));
        assertThat(live).isNotBlank();
        assertThat(engineRuns.keptLog(runId).orElseThrow().text()).isEqualTo(live);
        String served = http.get("/runs/" + runId + "/log").json().path("log").asText();
        assertThat(served).isNotBlank();
        // the run's worker and its disk are gone: the API still has the log (server paths hidden as before)
        Files.delete(Path.of(run.logPath()));
        JsonNode log = http.get("/runs/" + runId + "/log").json();
        assertThat(log.path("log").asText()).isEqualTo(served);
        assertThat(log.path("truncated").asBoolean()).isFalse();
    }

    private Optional<JobRecord> execJob(long protocolId) {
        for (JobStatus s : List.of(JobStatus.DELAYED, JobStatus.QUEUED, JobStatus.STARTED)) {
            for (JobRecord r : queue.list(s, 500)) {
                if (JobType.EXECUTE_STEP_JOB.name().equals(r.jobType()) && Long.valueOf(protocolId).equals(r.protocolRunId())) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** The stand-in's exec calls in the worktree of {@code protocol}, from its own log. */
    private static List<JsonNode> execCalls(String protocol) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(AGENT_CALLS)) return out;
        for (String line : Files.readAllLines(AGENT_CALLS)) {
            JsonNode call = JSON.readTree(line);
            if (call.path("phase").asText().equals("exec") && call.toString().contains(protocol)) out.add(call);
        }
        return out;
    }

    private static Path tmpClone(String url, String branch) throws IOException {
        Path dir = Files.createTempDirectory(ROOT, "worker-a");
        TestRepos.git(dir, "clone", "-q", "--branch", branch, url, "clone");
        return dir.resolve("clone");
    }
}
