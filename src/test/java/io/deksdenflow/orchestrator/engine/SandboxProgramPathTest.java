package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deksdenflow.orchestrator.common.NonRetryable;
import io.deksdenflow.orchestrator.engine.SandboxSettings;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A program the sandbox cannot show is named with the setting that fixes it, and never retried. */
class SandboxProgramPathTest {

    @Test
    void aProgramBesideTheDatabaseIsRefusedWithTheSettingThatMovesIt() throws Exception {
        assumeTrue(AgentSandbox.which("bwrap", System.getenv()).isPresent(), "bubblewrap is not installed");
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "beside-db");
        Path program = dir.resolve("my-agent");
        Files.writeString(program, "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
        TestSettings s = new TestSettings();
        s.setAgentSandbox(SandboxSettings.SandboxMode.BWRAP);
        s.setWorkspace(Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-ws")).toString());
        s.setDbPath(dir.resolve("db.sqlite").toString());
        AgentSandbox sandbox = s.agentSandbox(List.of(), System.getenv());
        ProcessSpec spec = ProcessSpec.of(List.of(program.toString()), dir, Duration.ofSeconds(10))
                .withBinarySetting("DEKSDENFLOW_CODEX_BIN");
        Path worktree = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-wt"));

        assertThatThrownBy(() -> sandbox.confine(spec, AgentSandbox.Confinement.of(worktree, false)))
                .isInstanceOf(MissingBinaryException.class).isInstanceOf(NonRetryable.class)
                .hasMessageContaining("hidden from agents").hasMessageContaining("DEKSDENFLOW_DB_PATH")
                .hasMessageContaining("DEKSDENFLOW_CODEX_BIN");

        // elsewhere, the same program runs in the sandbox
        Path elsewhere = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-bin")).resolve("my-agent");
        Files.copy(program, elsewhere);
        ProcessResult r = new ProcessRunner().run(sandbox.confine(ProcessSpec.of(List.of(elsewhere.toString()), worktree,
                Duration.ofSeconds(10)), AgentSandbox.Confinement.of(worktree, false)));
        assertThat(r.stdout()).as(r.stderrTail()).contains("hi");
    }

    @Test
    void bubblewrapsExecFailureIsAMissingProgramNotATransientError() {
        ProcessResult p = new ProcessResult(1, "", false, "bwrap: execvp /data/codex: No such file or directory\n",
                Duration.ofMillis(5), false, false);
        assertThatThrownBy(() -> EngineSupport.check("codex", p, null))
                .isInstanceOf(MissingBinaryException.class).isInstanceOf(NonRetryable.class)
                .hasMessageContaining("/data/codex").hasMessageContaining("inside the agent sandbox");
        ProcessResult wrapper = new ProcessResult(127, "", false, "/opt/bin/codex: 4: exec: /tmp/x/codex: not found\n",
                Duration.ofMillis(5), false, false);
        assertThatThrownBy(() -> EngineSupport.check("codex", wrapper, null))
                .isInstanceOf(MissingBinaryException.class).hasMessageContaining("/tmp/x/codex: not found");
    }
}
