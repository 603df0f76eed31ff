package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deksdenflow.orchestrator.engine.SandboxSettings;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agent runs bounded in memory, processes, file size and CPU time, through the sandbox's own
 * {@code confine} (so the bound is what a real run gets), on this machine's cgroups. Each test first
 * shows the same program exceeding the bound without limits, so it fails when the bound is removed.
 */
class AgentLimitsTest {
    private final ProcessRunner runner = new ProcessRunner();
    private Path dir;

    @BeforeEach
    void dir() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "limits-test");
    }

    private ProcessResult run(AgentLimits limits, String script) {
        TestSettings s = new TestSettings();
        s.setAgentSandbox(SandboxSettings.SandboxMode.NONE);
        s.setWorkspace(dir.resolve("ws").toString());
        s.setDbPath(dir.resolve("db.sqlite").toString());
        AgentSandbox sandbox = new AgentSandbox(s.sandbox(), s.workspace(), s.database(), List.of(), System.getenv(), limits);
        ProcessSpec spec = ProcessSpec.of(List.of("/bin/sh", "-c", script), dir, Duration.ofSeconds(60));
        return runner.run(sandbox.confine(spec, AgentSandbox.Confinement.of(dir, false)));
    }

    private static AgentLimits limits(long memoryMb, int pids, long fileMb, long cpu) {
        return new AgentLimits(new AgentLimitSettings(memoryMb, pids, fileMb, cpu, 0));
    }

    @Test
    void processCountIsBoundedByTheRunsCgroup() {
        AgentLimits limits = limits(0, 16, 0, 0);
        assumeTrue(limits.mechanism() == AgentLimits.Mechanism.CGROUP1, "no writable cgroup here");
        assumeTrue(AgentSandbox.which("python3", System.getenv()).isPresent(), "no python3");
        // forks 40 sleeping children, counting those the kernel allowed (the parent stays alive to report)
        String fork40 = "python3 -c \"import os, time\nn = 0\nfor i in range(40):\n    try:\n        pid = os.fork()\n"
                + "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(3)\n        os._exit(0)\n"
                + "    n += 1\nprint('forked', n, flush=True)\n\"";
        assertThat(run(AgentLimits.off(), fork40).stdout()).contains("forked 40");
        String bounded = run(limits, fork40).stdout();
        int forked = Integer.parseInt(bounded.replaceAll("(?s).*forked (\\d+).*", "$1"));
        assertThat(forked).isBetween(1, 15);
    }

    @Test
    void aFileCannotGrowPastTheFileSizeBound() throws Exception {
        Path big = dir.resolve("big.bin");
        String write = "head -c 8388608 /dev/zero > " + big;
        assertThat(run(AgentLimits.off(), write).exitCode()).isZero();
        assertThat(Files.size(big)).isEqualTo(8L * 1024 * 1024);
        Files.delete(big);

        ProcessResult r = run(limits(0, 0, 2, 0), write);
        assertThat(r.exitCode()).isNotZero();
        assertThat(Files.size(big)).isLessThanOrEqualTo(2L * 1024 * 1024);
    }

    @Test
    void memoryIsBounded() {
        String grab = "python3 -c \"b = bytearray(400 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); print('grabbed')\"";
        assumeTrue(AgentSandbox.which("python3", System.getenv()).isPresent(), "no python3");
        assertThat(run(AgentLimits.off(), grab).stdout()).contains("grabbed");
        ProcessResult r = run(limits(128, 0, 0, 0), grab);
        assertThat(r.stdout()).doesNotContain("grabbed");
        assertThat(r.exitCode()).isNotZero();
    }

    @Test
    void cpuTimeIsBounded() {
        ProcessResult r = run(limits(0, 0, 0, 1), "i=0; while [ $i -lt 100000000 ]; do i=$((i+1)); done; echo finished");
        assertThat(r.stdout()).doesNotContain("finished");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.duration()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void runCgroupsAreRemovedOnceTheirProcessesAreGone() throws Exception {
        AgentLimits limits = limits(256, 64, 0, 0);
        assumeTrue(limits.mechanism() == AgentLimits.Mechanism.CGROUP1, "no writable cgroup here");
        String cgroups = run(limits, "cat /proc/self/cgroup").stdout();
        List<Path> ownGroups = new java.util.ArrayList<>();
        for (String controller : List.of("memory", "pids")) {
            String line = cgroups.lines().filter(l -> List.of(l.split(":", 3)[1].split(",")).contains(controller))
                    .findFirst().orElseThrow();
            assertThat(line).contains("/deksdenflow-agents/run-");
            ownGroups.add(Path.of("/sys/fs/cgroup", controller).resolve(line.split(":", 3)[2].replaceFirst("^/+", "")));
        }
        assertThat(ownGroups).allMatch(Files::isDirectory); // the run's groups outlive it until a sweep
        limits.sweep(java.time.Duration.ZERO);
        assertThat(ownGroups).noneMatch(Files::exists);
    }

    @Test
    void aRunGroupNotYetJoinedIsNotSweptByAnotherRun() throws Exception {
        AgentLimits limits = limits(256, 64, 0, 0);
        assumeTrue(limits.mechanism() == AgentLimits.Mechanism.CGROUP1, "no writable cgroup here");
        // wrap() creates the run's groups; the run joins them only when its shell starts
        List<Path> fresh = limits.wrap(List.of("true")).stream().filter(a -> a.endsWith("/cgroup.procs"))
                .map(a -> Path.of(a).getParent()).toList();
        assertThat(fresh).hasSize(2).allMatch(Files::isDirectory);
        limits.sweep(); // another run starting (any worker process) sweeps the shared group
        assertThat(fresh).allMatch(Files::isDirectory);
        limits.sweep(java.time.Duration.ZERO);
        assertThat(fresh).noneMatch(Files::exists);
    }
}
