package io.deksdenflow.orchestrator.engine;

import static io.deksdenflow.orchestrator.engine.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.NonRetryable;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCodexTest {
    @TempDir Path tmp;

    private CodexEngine engine(Path bin) {
        TestSettings s = settings();
        s.setCodexBin(bin.toString());
        return new CodexEngine(s.engine(), new ProcessRunner());
    }

    @Test
    void argvHasTheExactFlagsWithModelAndSchema() {
        TestSettings s = settings();
        CodexEngine e = new CodexEngine(s.engine(), new ProcessRunner());
        EngineRequest r = new EngineRequest("planning", Path.of("/w"), "p", "gpt-5", true, Path.of("/s.json"), null, null);
        assertThat(e.argv(r, Path.of("/tmp/last"))).containsExactly(
                "codex", "exec", "--json", "-m", "gpt-5", "--cd", "/w", "--sandbox", "read-only",
                "--skip-git-repo-check", "--output-schema", "/s.json", "--output-last-message", "/tmp/last", "-");
    }

    @Test
    void argvOmitsModelWhenBlankAndWritesInExec() {
        CodexEngine e = new CodexEngine(settings().engine(), new ProcessRunner());
        EngineRequest r = new EngineRequest("exec", Path.of("/w"), "p", " ", false, null, null, null);
        assertThat(e.argv(r, Path.of("/tmp/last"))).containsExactly(
                "codex", "exec", "--json", "--cd", "/w", "--sandbox", "workspace-write",
                "--skip-git-repo-check", "--output-last-message", "/tmp/last", "-");
    }

    @Test
    void runsTheAgentAndSumsUsageOverTurns() throws Exception {
        Path bin = agent(tmp, "qa-pass", Map.of("STAND_IN_USAGE", "1000,400,250", "STAND_IN_TURNS", "2"));
        Path log = tmp.resolve("logs/run-1.log");
        EngineResult res = engine(bin).run(request("qa", tmp, true, null, log), CancelHandle.none());

        assertThat(res.exitCode()).isZero();
        assertThat(res.text()).contains("**Verdict:** PASS");
        assertThat(res.usageReported()).isTrue();
        assertThat(res.tokensIn()).isEqualTo(2000);
        assertThat(res.tokensOut()).isEqualTo(500);
        assertThat(res.costUsd()).isNull();
        assertThat(Files.readString(log)).contains("turn.completed");

        JsonNode call = calls(tmp).get(0);
        List<String> argv = argv(call);
        assertThat(argv.subList(0, 7)).containsExactly("exec", "--json", "--cd", tmp.toString(), "--sandbox", "read-only", "--skip-git-repo-check");
        assertThat(argv.get(argv.size() - 1)).isEqualTo("-");
        assertThat(call.get("stdin").asText()).isEqualTo("Do the thing [protocol-0001/01]");
        assertThat(call.get("phase").asText()).isEqualTo("qa");
        // the last-message file lives outside the worktree and is removed afterwards
        Path last = Path.of(argv.get(argv.indexOf("--output-last-message") + 1));
        assertThat(last.startsWith(tmp)).isFalse();
        assertThat(last).doesNotExist();
    }

    @Test
    void nonZeroExitIsARetryableEngineExceptionWithStderr() {
        Path bin = agent(tmp, "fail", Map.of("STAND_IN_EXIT", "7"));
        assertThatThrownBy(() -> engine(bin).run(request("exec", tmp, false, null, null), CancelHandle.none()))
                .isInstanceOfSatisfying(EngineException.class, ex -> {
                    assertThat(ex.exitCode()).isEqualTo(7);
                    assertThat(ex.timedOut()).isFalse();
                    assertThat(ex.getMessage()).contains("exit code 7").contains("stand-in failure: something broke");
                    assertThat(ex).isNotInstanceOf(NonRetryable.class);
                });
    }

    @Test
    void missingBinaryNamesTheSetting() {
        Path bin = tmp.resolve("no-such-codex");
        assertThatThrownBy(() -> engine(bin).run(request("exec", tmp, false, null, null), CancelHandle.none()))
                .isInstanceOf(MissingBinaryException.class)
                .isInstanceOf(NonRetryable.class)
                .hasMessage(bin + " not found or not executable: set DEKSDENFLOW_CODEX_BIN");
    }

    @Test
    void missingBinaryOnPathNamesTheSetting() {
        TestSettings s = settings();
        s.setCodexBin("deksdenflow-no-such-codex");
        CodexEngine e = new CodexEngine(s.engine(), new ProcessRunner());
        assertThatThrownBy(() -> e.run(request("exec", tmp, false, null, null), CancelHandle.none()))
                .isInstanceOf(MissingBinaryException.class)
                .hasMessageContaining("deksdenflow-no-such-codex not found")
                .hasMessageContaining("DEKSDENFLOW_CODEX_BIN");
    }

    @Test
    void timeoutIsAnEngineExceptionFlaggedTimedOut() {
        Path bin = agent(tmp, "hang", Map.of("STAND_IN_PID_FILE", tmp.resolve("pids").toString()));
        EngineRequest r = new EngineRequest("exec", tmp, "p", "", false, null, null, Duration.ofMillis(1500));
        assertThatThrownBy(() -> engine(bin).run(r, CancelHandle.none()))
                .isInstanceOfSatisfying(EngineException.class, ex -> assertThat(ex.timedOut()).isTrue())
                .hasMessageContaining("codex timed out");
    }

    @Test
    void eventsParserReadsUsageAndErrors() {
        CodexEngine.Events ev = CodexEngine.Events.parse("""
                {"type":"thread.started"}
                not json
                {"type":"turn.completed","usage":{"input_tokens":10,"cached_input_tokens":4,"output_tokens":3}}
                {"type":"item.completed","item":{"type":"agent_message","text":"hi"}}
                {"type":"turn.failed","error":{"message":"rate limited"}}
                """);
        assertThat(ev.input).isEqualTo(10);
        assertThat(ev.cachedInput).isEqualTo(4);
        assertThat(ev.output).isEqualTo(3);
        assertThat(ev.lastAgentMessage).isEqualTo("hi");
        assertThat(ev.error).isEqualTo("rate limited");
    }
}
