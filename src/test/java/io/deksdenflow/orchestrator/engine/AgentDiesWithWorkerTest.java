package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deksdenflow.orchestrator.testsupport.AgentRunnerMain;
import io.deksdenflow.orchestrator.testsupport.ChildJvm;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A worker JVM killed with SIGKILL leaves no agent process behind, with and without bubblewrap. */
@SlowTest
class AgentDiesWithWorkerTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"bwrap", "none"})
    void aSigkilledWorkerLeavesNoAgentRunning(String mode) throws Exception {
        if (mode.equals("bwrap")) assumeTrue(AgentSandbox.which("bwrap", System.getenv()).isPresent(), "no bubblewrap");
        Path work = Files.createDirectories(tmp.resolve("worktree"));
        Path pids = Files.createDirectories(tmp.resolve("pids"));
        // the agent and a child of its own: both must die with the worker
        String script = "sleep 600 & echo $! > " + pids.resolve("child") + "; echo ready > " + pids.resolve("ready")
                + "; wait";
        Process worker = ChildJvm.start("agent-dies-" + mode, AgentRunnerMain.class, Map.of(),
                mode, work.toString(), "/bin/sh", "-c", script);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(pids.resolve("ready")));
        long[] agents = worker.toHandle().descendants().mapToLong(ProcessHandle::pid).toArray();
        assertThat(agents).isNotEmpty();
        assertThat(worker.toHandle().descendants().anyMatch(h -> h.info().command().orElse("").endsWith("sleep")))
                .isTrue();

        worker.destroyForcibly(); // SIGKILL: no shutdown hook runs
        worker.waitFor();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Arrays.stream(agents)
                .mapToObj(ProcessHandle::of).filter(h -> h.isPresent() && h.get().isAlive()).count())
                .as("agent processes still alive after the worker's SIGKILL").isZero());
    }
}
