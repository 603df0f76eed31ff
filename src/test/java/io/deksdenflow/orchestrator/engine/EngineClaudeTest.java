package io.deksdenflow.orchestrator.engine;

import static io.deksdenflow.orchestrator.engine.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.testsupport.TestSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineClaudeTest {
    @TempDir Path tmp;

    private ClaudeEngine engine(Path bin) {
        TestSettings s = settings();
        s.setClaudeBin(bin.toString());
        return new ClaudeEngine(s.engine(), new ProcessRunner());
    }

    @Test
    void readOnlyArgvOffersOnlyReadingTools() {
        EngineRequest r = new EngineRequest("qa", Path.of("/w"), "p", "sonnet", true, null, null, null);
        assertThat(new ClaudeEngine(settings().engine(), new ProcessRunner()).argv(r)).containsExactly(
                "claude", "-p", "--output-format", "json", "--model", "sonnet",
                "--permission-mode", "default", "--tools", "Read,Grep,Glob", "--allowedTools", "Read,Grep,Glob");
    }

    @Test
    void planningPassesTheSchemaAndPrefersStructuredOutput() throws Exception {
        Path schema = Files.writeString(tmp.resolve("s.json"), "{\n  \"type\": \"object\"\n}");
        EngineRequest r = new EngineRequest("planning", Path.of("/w"), "p", "", true, schema, null, null);
        assertThat(new ClaudeEngine(settings().engine(), new ProcessRunner()).argv(r)).containsSubsequence(
                "--tools", "Read,Grep,Glob", "--json-schema", "{\"type\":\"object\"}");
    }

    @Test
    void writeArgvAcceptsEditsAndAllowsBash() {
        EngineRequest r = new EngineRequest("exec", Path.of("/w"), "p", "", false, null, null, null);
        assertThat(new ClaudeEngine(settings().engine(), new ProcessRunner()).argv(r)).containsExactly(
                "claude", "-p", "--output-format", "json", "--permission-mode", "acceptEdits",
                "--tools", "Read,Grep,Glob,Edit,Write,Bash", "--allowedTools", "Read,Grep,Glob,Edit,Write,Bash");
    }

    @Test
    void parsesResultUsageAndCostAndRunsInTheWorkdir() {
        Path bin = agent(tmp, "qa-fail", Map.of("STAND_IN_USAGE", "100,900,40"));
        EngineResult res = engine(bin).run(request("qa", tmp, true, null, null), CancelHandle.none());

        assertThat(res.text()).contains("- Verdict: FAIL");
        assertThat(res.usageReported()).isTrue();
        assertThat(res.tokensIn()).isEqualTo(1000); // input + cache read + cache creation
        assertThat(res.tokensOut()).isEqualTo(40);
        assertThat(res.costUsd()).isEqualTo(0.0123);
        JsonNode call = calls(tmp).get(0);
        assertThat(call.get("cwd").asText()).isEqualTo(tmp.toString());
        assertThat(call.get("stdin").asText()).isEqualTo("Do the thing [protocol-0001/01]");
        assertThat(call.get("flavour").asText()).isEqualTo("claude");
    }

    @Test
    void isErrorIsAnEngineException() {
        Path bin = agent(tmp, "error-json", Map.of());
        assertThatThrownBy(() -> engine(bin).run(request("exec", tmp, false, null, null), CancelHandle.none()))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("is_error: model refused");
    }

    @Test
    void missingBinaryNamesTheSetting() {
        Path bin = tmp.resolve("claude-missing");
        assertThatThrownBy(() -> engine(bin).run(request("exec", tmp, false, null, null), CancelHandle.none()))
                .isInstanceOf(MissingBinaryException.class)
                .hasMessageContaining("set DEKSDENFLOW_CLAUDE_BIN");
    }

    @Test
    void nonZeroExitCarriesStderr() {
        Path bin = agent(tmp, "fail", Map.of());
        assertThatThrownBy(() -> engine(bin).run(request("exec", tmp, false, null, null), CancelHandle.none()))
                .isInstanceOfSatisfying(EngineException.class, ex -> assertThat(ex.exitCode()).isEqualTo(3))
                .hasMessageContaining("stand-in failure");
    }
}
