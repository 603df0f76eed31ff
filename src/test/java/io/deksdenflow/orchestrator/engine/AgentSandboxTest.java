package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deksdenflow.orchestrator.engine.SandboxSettings;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox with real processes: what an agent can read, write and see in its environment. The
 * bubblewrap cases need {@code bwrap} (CI installs it); they are skipped only where it is absent.
 */
class AgentSandboxTest {
    /** Outside /tmp and HOME (both private in the sandbox anyway), so each hiding rule is tested on its own. */
    Path tmp;

    private Path workspace;
    private Path worktree;
    private Path gitDir;
    private Path otherProject;
    private Path db;
    private Path keyFile;
    private final ProcessRunner runner = new ProcessRunner();

    @BeforeEach
    void layout() throws Exception {
        tmp = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "sandbox-test");
        workspace = Files.createDirectories(tmp.resolve("ws"));
        gitDir = Files.createDirectories(workspace.resolve("projects/1/repo/.git"));
        Files.writeString(gitDir.resolve("HEAD"), "ref: refs/heads/main\n");
        worktree = Files.createDirectories(workspace.resolve("projects/1/worktrees/0001-a"));
        Files.writeString(worktree.resolve("README.md"), "hello\n");
        otherProject = Files.createDirectories(workspace.resolve("projects/2/worktrees/0001-b"));
        Files.writeString(otherProject.resolve("plan.md"), "team two's plan\n");
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        db = dataDir.resolve("db.sqlite");
        Files.writeString(db, "SQLite format 3 secret rows");
        Files.writeString(Path.of(db + "-wal"), "wal secret");
        keyFile = dataDir.resolve("secrets.key");
        Files.writeString(keyFile, "KEYMATERIAL");
    }

    private TestSettings settings(SandboxSettings.SandboxMode mode) {
        TestSettings s = new TestSettings();
        s.setAgentSandbox(mode);
        s.setWorkspace(workspace.toString());
        s.setDbPath(db.toString());
        s.setAgentEnv("EXTRA_ALLOWED");
        return s;
    }

    private AgentSandbox bwrap() {
        assumeTrue(AgentSandbox.which("bwrap", System.getenv()).isPresent(), "bubblewrap is not installed");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DEKSDENFLOW_API_TOKEN", "service-token");
        env.put("GITHUB_TOKEN", "ghp_secret");
        env.put("OPENAI_API_KEY", "sk-model");
        env.put("EXTRA_ALLOWED", "yes");
        HiddenPaths key = () -> List.of(keyFile);
        return settings(SandboxSettings.SandboxMode.BWRAP).agentSandbox(List.of(key), env);
    }

    private ProcessResult sh(AgentSandbox sandbox, boolean readOnly, String script) {
        ProcessSpec spec = ProcessSpec.of(List.of("/bin/sh", "-c", script), worktree, Duration.ofSeconds(30))
                .withEnv(Map.of("DEKSDENFLOW_PHASE", readOnly ? "qa" : "exec"));
        return runner.run(sandbox.confine(spec,
                new AgentSandbox.Confinement(worktree, readOnly, gitDir, List.of(), List.of())));
    }

    @Test
    void bwrapHidesTheDatabaseTheKeyAndOtherProjects() {
        AgentSandbox sandbox = bwrap();
        assertThat(sandbox.describe()).isEqualTo("bwrap");
        ProcessResult r = sh(sandbox, false, String.join("; ",
                "cat " + db + " 2>/dev/null || echo db:hidden",
                "cat " + db + "-wal 2>/dev/null || echo wal:hidden",
                "test -s " + keyFile + " && echo key:visible || echo key:hidden",
                "cat " + otherProject.resolve("plan.md") + " 2>/dev/null || echo other:hidden",
                "ls " + workspace.resolve("projects") + " | tr '\\n' ' '; echo",
                "cat README.md",
                "cat " + gitDir.resolve("HEAD")));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("db:hidden", "wal:hidden", "key:hidden", "other:hidden", "hello",
                "ref: refs/heads/main");
        assertThat(r.stdout()).doesNotContain("secret rows", "KEYMATERIAL", "team two");
        assertThat(r.stdout()).containsPattern("(?m)^1 $");
    }

    @Test
    void bwrapLetsTheExecPhaseWriteOnlyItsWorktree() throws Exception {
        AgentSandbox sandbox = bwrap();
        ProcessResult r = sh(sandbox, false, String.join("; ",
                "echo work > new-file.txt && echo worktree:written",
                "echo x > " + gitDir.resolve("hooks-pre-commit") + " 2>/dev/null && echo git:written || echo git:refused",
                "echo x > /usr/local/evil 2>/dev/null && echo usr:written || echo usr:refused",
                "echo x > " + tmp.resolve("outside") + " 2>/dev/null; echo done"));
        assertThat(r.stdout()).contains("worktree:written", "git:refused", "usr:refused");
        assertThat(Files.readString(worktree.resolve("new-file.txt"))).isEqualTo("work\n");
        assertThat(gitDir.resolve("hooks-pre-commit")).doesNotExist();
        assertThat(Path.of("/usr/local/evil")).doesNotExist();
        assertThat(tmp.resolve("outside")).doesNotExist(); // /tmp is private: the write went nowhere
    }

    @Test
    void aProgramBesideTheWorkspaceDoesNotShowTheWorkspace() throws Exception {
        assumeTrue(AgentSandbox.which("bwrap", System.getenv()).isPresent(), "bubblewrap is not installed");
        Path base = Files.createTempDirectory("dfo-sandbox-beside"); // under /tmp, like bench/scale-out.sh
        try {
            Path ws = base.resolve("ws");
            Path own = Files.createDirectories(ws.resolve("projects/1/worktrees/0001-a"));
            Path other = Files.createDirectories(ws.resolve("projects/2/repo"));
            Files.writeString(other.resolve("secret.txt"), "team two\n");
            Path program = base.resolve("agent.sh");
            Files.writeString(program, "#!/bin/sh\ncat " + other.resolve("secret.txt") + " 2>/dev/null || echo other:hidden\n");
            program.toFile().setExecutable(true);
            TestSettings s = settings(SandboxSettings.SandboxMode.BWRAP);
            s.setWorkspace(ws.toString());
            AgentSandbox sandbox = s.agentSandbox(List.of(), System.getenv());
            ProcessResult r = runner.run(sandbox.confine(ProcessSpec.of(List.of(program.toString()), own, Duration.ofSeconds(30)),
                    AgentSandbox.Confinement.of(own, false)));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).contains("other:hidden").doesNotContain("team two");
        } finally {
            EngineSupport.deleteTree(base);
        }
    }

    @Test
    void bwrapMountsTheWorktreeReadOnlyInReadOnlyPhases() {
        AgentSandbox sandbox = bwrap();
        ProcessResult r = sh(sandbox, true, "echo x > README.md 2>/dev/null && echo written || echo refused; cat README.md");
        assertThat(r.stdout()).contains("refused", "hello");
        assertThat(worktree.resolve("README.md")).hasContent("hello");
    }

    @Test
    void theEnvironmentIsAnAllowList() {
        AgentSandbox sandbox = bwrap();
        ProcessResult r = sh(sandbox, false, "env");
        assertThat(r.stdout()).contains("OPENAI_API_KEY=sk-model", "EXTRA_ALLOWED=yes", "DEKSDENFLOW_PHASE=exec", "PATH=");
        assertThat(r.stdout()).doesNotContain("service-token", "ghp_secret", "DEKSDENFLOW_API_TOKEN");
    }

    @Test
    void withoutSandboxTheEnvironmentIsStillAnAllowList() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DEKSDENFLOW_DB_URL", "postgresql://u:pw@h/db");
        env.put("GITLAB_TOKEN", "glpat-secret");
        AgentSandbox sandbox = settings(SandboxSettings.SandboxMode.NONE).agentSandbox(List.of(), env);
        assertThat(sandbox.describe()).isEqualTo("none");
        ProcessResult r = sh(sandbox, false, "env");
        assertThat(r.stdout()).contains("DEKSDENFLOW_PHASE=exec").doesNotContain("glpat-secret", "pw@h");
    }

    @Test
    void bwrapModeWithoutBubblewrapStopsStartUpNamingTheSetting() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", tmp.toString());
        assertThatThrownBy(() -> settings(SandboxSettings.SandboxMode.BWRAP).agentSandbox(List.of(), env))
                .hasMessageContaining("DEKSDENFLOW_AGENT_SANDBOX").hasMessageContaining("bubblewrap");
        AgentSandbox auto = settings(SandboxSettings.SandboxMode.AUTO).agentSandbox(List.of(), env);
        assertThat(auto.describe()).isEqualTo("none");
    }

    @Test
    void aWritableEntryThatWouldExposeTheWorkspaceIsRefused() {
        TestSettings s = settings(SandboxSettings.SandboxMode.NONE);
        s.setAgentSandboxWritable(tmp.toString());
        assertThatThrownBy(() -> s.agentSandbox(List.of(), System.getenv()))
                .hasMessageContaining("DEKSDENFLOW_AGENT_SANDBOX_WRITABLE");
    }

    @Test
    void aMissingProgramIsNamedWithItsSetting() {
        AgentSandbox sandbox = settings(SandboxSettings.SandboxMode.NONE).agentSandbox(List.of(), System.getenv());
        ProcessSpec spec = ProcessSpec.of(List.of(tmp.resolve("no-such-agent").toString()), worktree, Duration.ofSeconds(5))
                .withBinarySetting("DEKSDENFLOW_CODEX_BIN");
        assertThatThrownBy(() -> sandbox.confine(spec, AgentSandbox.Confinement.of(worktree, false)))
                .isInstanceOf(MissingBinaryException.class).hasMessageContaining("DEKSDENFLOW_CODEX_BIN");
    }

    @AfterEach
    void cleanUp() {
        EngineSupport.deleteTree(tmp);
    }
}
