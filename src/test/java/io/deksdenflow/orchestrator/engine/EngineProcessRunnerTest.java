package io.deksdenflow.orchestrator.engine;

import static io.deksdenflow.orchestrator.engine.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineProcessRunnerTest {
    @TempDir Path tmp;
    private final ProcessRunner runner = new ProcessRunner();

    @Test
    void feedsStdinKeepsStdoutAndLogsBothStreams() throws Exception {
        Path log = tmp.resolve("a/b/run.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "earlier\n");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        ProcessResult r = runner.run(ProcessSpec.of(
                        List.of("sh", "-c", "cat; echo \"v=$EXTRA\"; echo oops >&2; exit 4"), tmp, Duration.ofSeconds(20))
                .withStdin("hello\n").withEnv(Map.of("EXTRA", "42")).withLogFile(log).withStdoutLines(lines::add));

        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stdout()).isEqualTo("hello\nv=42\n");
        assertThat(lines).containsExactly("hello", "v=42");
        assertThat(r.stderrTail()).isEqualTo("oops\n");
        assertThat(r.timedOut()).isFalse();
        assertThat(r.cancelled()).isFalse();
        assertThat(Files.readString(log)).startsWith("earlier\n\n$ sh -c ").contains("hello", "v=42", "oops")
                .endsWith("[exit 4 after " + r.duration().toMillis() + " ms]\n");
    }

    @Test
    void doesNotPassOnInheritedDeksdenflowVariablesButKeepsAdditions() {
        ProcessResult r = runner.run(ProcessSpec.of(List.of("sh", "-c", "env | grep ^DEKSDENFLOW_ | sort"), tmp, Duration.ofSeconds(20))
                .withEnv(Map.of("DEKSDENFLOW_PHASE", "qa")));
        assertThat(r.stdout()).isEqualTo("DEKSDENFLOW_PHASE=qa\n");
    }

    @Test
    void capsStdoutInMemoryButStillStreamsEveryLine() {
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>();
        ProcessResult r = runner.run(ProcessSpec.of(
                        List.of("sh", "-c", "head -c 9000000 /dev/zero | tr '\\0' 'x' | fold -w 1000; echo; echo LAST"), tmp, Duration.ofSeconds(30))
                .withStdoutLines(last::set));
        assertThat(r.stdout()).hasSize(ProcessRunner.STDOUT_CAP);
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(last.get()).isEqualTo("LAST");
    }

    @Test
    void theRunLogOnDiskKeepsHeadAndTailOfAHugeStreamAndCountsWhatItElided() throws Exception {
        Path log = tmp.resolve("huge.log");
        long total = 50L * 1024 * 1024;
        ProcessResult r = runner.run(ProcessSpec.of(List.of("sh", "-c",
                        "echo FIRST; head -c " + total + " /dev/zero | tr '\\0' 'y'; echo; echo LAST; echo ERR >&2"),
                tmp, Duration.ofSeconds(60)).withLogFile(log));
        assertThat(r.exitCode()).isZero();

        long bound = ProcessRunner.LOG_HEAD + ProcessRunner.LOG_TAIL + 64 * 1024;
        assertThat(Files.size(log)).isLessThan(bound);
        String head = readHead(log, 64);
        assertThat(head).contains("$ sh -c", "FIRST");
        String text = Files.readString(log);
        long streamed = "FIRST\n".length() + total + "\nLAST\n".length() + "ERR\n".length();
        long elided = streamed - ProcessRunner.LOG_HEAD - ProcessRunner.LOG_TAIL;
        assertThat(text).contains("[... " + elided + " bytes elided");
        // stderr has its own reader: ERR lands somewhere in the kept tail, not necessarily after LAST
        String tail = text.substring(text.indexOf("bytes elided"));
        assertThat(tail).contains("ERR");
        assertThat(text.substring(text.length() - 200)).contains("LAST").endsWith(" ms]\n");
    }

    @Test
    void aSmallLogIsWrittenWholeAndInOrder() throws Exception {
        Path log = tmp.resolve("small.log");
        try (ProcessRunner.LogSink sink = ProcessRunner.LogSink.open(log, 10, 8)) {
            sink.line("start");
            byte[] b = "0123456789abcdefghijXYZ".getBytes();
            sink.write(b, b.length);
            sink.line("end");
        }
        // head 10 bytes, 13 over: 5 elided, the last 8 kept, then the service's line
        assertThat(Files.readString(log)).isEqualTo("\nstart\n0123456789\n[... 5 bytes elided: the run log keeps the first 10"
                + " and the last 8 bytes of output ...]\nfghijXYZ\nend\n");
    }

    private static String readHead(Path file, int n) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return new String(in.readNBytes(n));
        }
    }

    @Test
    void missingBinaryWithoutSettingNamesThePath() {
        assertThatThrownBy(() -> runner.run(ProcessSpec.of(List.of("no-such-binary-xyz"), tmp, Duration.ofSeconds(5))))
                .isInstanceOf(MissingBinaryException.class)
                .hasMessage("no-such-binary-xyz not found or not executable on PATH");
    }

    @Test
    void nonExecutableFileIsAMissingBinary() throws Exception {
        Path f = Files.writeString(tmp.resolve("agent"), "#!/bin/sh\n");
        assertThatThrownBy(() -> runner.run(ProcessSpec.of(List.of(f.toString()), tmp, Duration.ofSeconds(5))
                        .withBinarySetting("DEKSDENFLOW_CODEX_BIN")))
                .isInstanceOf(MissingBinaryException.class)
                .hasMessageContaining("set DEKSDENFLOW_CODEX_BIN");
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        Path pids = tmp.resolve("pids");
        Path bin = agent(tmp, "hang", Map.of("STAND_IN_PID_FILE", pids.toString()));
        ProcessResult r = runner.run(ProcessSpec.of(List.of(bin.toString(), "--phase", "exec"), tmp, Duration.ofSeconds(3)));

        assertThat(r.timedOut()).isTrue();
        assertThat(r.cancelled()).isFalse();
        assertTreeGone(pids);
    }

    @Test
    void cancelKillsTheWholeProcessTree() throws Exception {
        Path pids = tmp.resolve("pids");
        Path bin = agent(tmp, "hang", Map.of("STAND_IN_PID_FILE", pids.toString()));
        TestCancel cancel = new TestCancel();
        TestSettings s = settings();
        s.setCodexBin(bin.toString());
        CodexEngine engine = new CodexEngine(s.engine(), runner);

        CompletableFuture<EngineResult> run = CompletableFuture.supplyAsync(
                () -> engine.run(request("exec", tmp, false, null, null), cancel));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pids) && Files.readString(pids).contains(" "));
        // the agent runs in a PID namespace of its own (the pids it wrote are that namespace's): find the host's
        long[] tree = ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").matches(".*(stand-in-agent exec|time\\.sleep\\(600\\)).*"))
                .mapToLong(ProcessHandle::pid).toArray();
        assertThat(tree).hasSizeGreaterThanOrEqualTo(2);
        long started = System.nanoTime();
        cancel.cancel();

        assertThatThrownBy(() -> run.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineCancelledException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(java.util.Arrays.stream(tree)
                .filter(pid -> {
                    try {
                        return alive(pid);
                    } catch (Exception e) {
                        return false;
                    }
                }).toArray()).as("agent processes alive after cancel").isEmpty());
    }

    @Test
    void interruptedWorkerThreadKillsTheTree() throws Exception {
        Path pids = tmp.resolve("pids");
        Path bin = agent(tmp, "hang", Map.of("STAND_IN_PID_FILE", pids.toString()));
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                runner.run(ProcessSpec.of(List.of(bin.toString(), "--phase", "exec"), tmp, Duration.ofMinutes(5)));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(pids) && Files.readString(pids).contains(" "));
        worker.interrupt();
        worker.join(20_000);
        assertThat(thrown.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("interrupted");
        assertTreeGone(pids);
    }

    private static void assertTreeGone(Path pids) throws Exception {
        String[] p = Files.readString(pids).trim().split(" ");
        long parent = Long.parseLong(p[0]);
        long child = Long.parseLong(p[1]);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(alive(parent)).as("agent process %d", parent).isFalse();
            assertThat(alive(child)).as("agent's child process %d", child).isFalse();
        });
    }

    /** Alive and not a zombie waiting for a reaper. */
    private static boolean alive(long pid) throws Exception {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return false;
        Path status = Path.of("/proc/" + pid + "/status");
        if (!Files.exists(status)) return false;
        return Files.readAllLines(status).stream().noneMatch(l -> l.startsWith("State:") && l.contains("Z"));
    }
}
