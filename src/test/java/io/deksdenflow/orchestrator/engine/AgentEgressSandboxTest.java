package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deksdenflow.orchestrator.engine.SandboxSettings;
import io.deksdenflow.orchestrator.engine.egress.EgressDenial;
import io.deksdenflow.orchestrator.testsupport.LoopbackPorts;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's network in bubblewrap, with real processes: its own namespace, the run's egress path
 * (forwarders and proxy), covered host sockets, and start-up without socat.
 */
class AgentEgressSandboxTest {
    private Path tmp;
    private Path worktree;
    private ServerSocket listed;
    private ServerSocket unlisted;
    private final ProcessRunner runner = new ProcessRunner();

    @BeforeEach
    void layout() throws IOException {
        tmp = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "egress-test");
        worktree = Files.createDirectories(tmp.resolve("ws/projects/1/worktrees/0001-a"));
        listed = LoopbackPorts.greeter("listed\n");
        unlisted = LoopbackPorts.greeter("unlisted\n");
    }

    @AfterEach
    void stop() throws IOException {
        listed.close();
        unlisted.close();
    }

    private TestSettings settings() {
        TestSettings s = new TestSettings();
        s.setAgentSandbox(SandboxSettings.SandboxMode.BWRAP);
        s.setWorkspace(tmp.resolve("ws").toString());
        s.setDbPath(tmp.resolve("db.sqlite").toString());
        return s;
    }

    private AgentSandbox bwrap() {
        assumeTrue(AgentSandbox.which("bwrap", System.getenv()).isPresent(), "bubblewrap is not installed");
        return settings().agentSandbox(List.of(), System.getenv());
    }

    /** A python probe: TCP connects, UNIX connects and CONNECT through HTTPS_PROXY, one line each. */
    private static final String PROBE = """
            import os, socket, sys
            from urllib.parse import urlparse
            for t in sys.argv[1:]:
                kind, target = t.split("=", 1)
                try:
                    if kind == "tcp":
                        h, p = target.rsplit(":", 1)
                        c = socket.create_connection((h, int(p)), timeout=3)
                        print(t, "OK", c.recv(100).decode().strip())
                    elif kind == "unix":
                        c = socket.socket(socket.AF_UNIX); c.settimeout(3); c.connect(target)
                        print(t, "OK")
                    else:
                        p = urlparse(os.environ["HTTPS_PROXY"])
                        c = socket.create_connection((p.hostname, p.port), timeout=3)
                        c.sendall(("CONNECT %s HTTP/1.1\\r\\n\\r\\n" % target).encode())
                        print(t, c.recv(100).decode().split("\\r\\n")[0])
                except Exception as e:
                    print(t, "ERR", type(e).__name__)
            """;

    private ProcessResult probe(AgentSandbox sandbox, AgentEgress egress, String... targets) {
        List<String> argv = new ArrayList<>(List.of("python3", "-c", PROBE));
        argv.addAll(List.of(targets));
        ProcessSpec spec = ProcessSpec.of(argv, worktree, Duration.ofSeconds(60));
        AgentSandbox.Confinement c = AgentSandbox.Confinement.of(worktree, false);
        if (egress == null) return runner.run(sandbox.confine(spec, c));
        try (ConfinedRun run = sandbox.open(spec, c, egress)) {
            return runner.run(run.spec());
        }
    }

    @Test
    void aListedLoopbackPortIsReachableAndNoOtherLoopbackPort() {
        AgentSandbox sandbox = bwrap();
        List<EgressDenial> denials = new CopyOnWriteArrayList<>();
        String ok = "127.0.0.1:" + listed.getLocalPort();
        String other = "127.0.0.1:" + unlisted.getLocalPort();
        ProcessResult r = probe(sandbox, new AgentEgress(List.of(ok), denials::add),
                "tcp=" + ok, "tcp=" + other, "proxy=" + other, "proxy=" + ok);
        assertThat(r.exitCode()).as(r.stderrTail()).isZero();
        assertThat(r.stdout()).contains("tcp=" + ok + " OK listed")
                .contains("tcp=" + other + " ERR")
                .contains("proxy=" + other + " HTTP/1.1 403")
                .contains("proxy=" + ok + " HTTP/1.1 200");
        assertThat(denials).extracting(EgressDenial::port).containsExactly(unlisted.getLocalPort());
    }

    @Test
    void withoutAnEgressPathTheSandboxHasNoNetworkAtAll() {
        ProcessResult r = probe(bwrap(), null, "tcp=127.0.0.1:" + listed.getLocalPort());
        assertThat(r.stdout()).contains("ERR").doesNotContain("OK");
    }

    @Test
    void aHostSocketOutsideTheHiddenDirectoriesIsCovered() throws IOException {
        AgentSandbox sandbox = bwrap();
        // beside the test's directory, which is hidden as the database's directory
        Path sock = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "host-sock").resolve("service.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            ProcessResult r = probe(sandbox, new AgentEgress(List.of(), null), "unix=" + sock);
            assertThat(r.stdout()).as(r.stderrTail()).contains("unix=" + sock + " ERR").doesNotContain(" OK");
        }
    }

    @Test
    void withoutSocatBubblewrapModesRefuseToStart() throws IOException {
        assumeTrue(AgentSandbox.which("bwrap", System.getenv()).isPresent(), "bubblewrap is not installed");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("bwrap"), Path.of(AgentSandbox.which("bwrap", System.getenv()).orElseThrow()));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("PATH", bin.toString());
        for (SandboxSettings.SandboxMode mode : List.of(SandboxSettings.SandboxMode.BWRAP, SandboxSettings.SandboxMode.AUTO)) {
            TestSettings s = settings();
            s.setAgentSandbox(mode);
            assertThatThrownBy(() -> s.agentSandbox(List.of(), env)).as(mode.name())
                    .hasMessageContaining("'socat' package").hasMessageContaining("DEKSDENFLOW_AGENT_SANDBOX");
        }
    }

    @Test
    void aBadEgressSettingFailsStartUp() {
        TestSettings s = settings();
        s.setAgentSandbox(SandboxSettings.SandboxMode.NONE);
        s.setAgentEgress("api.openai.com,http://evil");
        assertThatThrownBy(() -> s.agentSandbox(List.of(), System.getenv()))
                .hasMessageContaining("DEKSDENFLOW_AGENT_EGRESS").hasMessageContaining("http://evil");
    }

}
