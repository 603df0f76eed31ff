package io.deksdenflow.orchestrator.testsupport;

import io.deksdenflow.orchestrator.engine.AgentLimits;
import io.deksdenflow.orchestrator.engine.AgentSandbox;
import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.engine.ProcessSpec;
import io.deksdenflow.orchestrator.engine.SandboxSettings;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A worker stand-in for the "agent dies with its worker" test: runs {@code args[2..]} as an agent in
 * {@code args[1]} through the sandbox of mode {@code args[0]} and waits; the test SIGKILLs this JVM.
 */
public final class AgentRunnerMain {
    private AgentRunnerMain() {}

    public static void main(String[] args) {
        TestSettings s = new TestSettings();
        s.setAgentSandbox(SandboxSettings.SandboxMode.valueOf(args[0].toUpperCase()));
        Path workdir = Path.of(args[1]);
        s.setWorkspace(workdir.resolveSibling("ws").toString());
        s.setDbPath(workdir.resolveSibling("db.sqlite").toString());
        s.setAgentSandboxWritable(workdir.getParent().resolve("pids").toString());
        AgentSandbox sandbox = new AgentSandbox(s.sandbox(), s.workspace(), s.database(), List.of(), AgentLimits.off());
        ProcessSpec spec = ProcessSpec.of(List.of(args).subList(2, args.length), workdir, Duration.ofMinutes(10));
        new ProcessRunner().run(sandbox.confine(spec, AgentSandbox.Confinement.of(workdir, false)));
    }
}
