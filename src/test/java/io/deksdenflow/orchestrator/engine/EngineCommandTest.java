package io.deksdenflow.orchestrator.engine;

import static io.deksdenflow.orchestrator.engine.EngineTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineCommandTest {
    @TempDir Path tmp;

    @Test
    void splitsLikeAShellWithoutOne() {
        assertThat(CommandTemplate.parse("agent --x 'a b' \"c \\\"d\\\"\" e\\ f '' {model}").words())
                .containsExactly("agent", "--x", "a b", "c \"d\"", "e f", "", "{model}");
        assertThatThrownBy(() -> CommandTemplate.parse("agent 'open")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> CommandTemplate.parse("  ")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("DEKSDENFLOW_ENGINE_COMMAND");
    }

    @Test
    void placeholderValuesCannotInjectArguments() {
        List<String> argv = CommandTemplate.parse("agent --model={model} --in {prompt_file}")
                .render(Map.of("model", "x --evil; rm -rf / {prompt_file}", "prompt_file", "/p f"));
        assertThat(argv).containsExactly("agent", "--model=x --evil; rm -rf / {prompt_file}", "--in", "/p f");
    }

    @Test
    void runsTheTemplateAndEstimatesUsage() {
        Path bin = agent(tmp, "qa-noverdict", Map.of());
        TestSettings s = settings();
        s.setEngineCommand("'" + bin + "' --prompt-file {prompt_file} --workdir {workdir} --phase {phase} --model '{model}'");
        CommandEngine e = new CommandEngine(s.engine(), new ProcessRunner());
        EngineRequest r = new EngineRequest("qa", tmp, "x".repeat(41), "m1", true, null, null, null);

        EngineResult res = e.run(r, CancelHandle.none());

        assertThat(res.text()).contains("I looked around");
        assertThat(res.usageReported()).isFalse();
        assertThat(res.tokensIn()).isEqualTo(11);
        assertThat(res.tokensOut()).isZero();
        JsonNode call = calls(tmp).get(0);
        List<String> argv = argv(call);
        assertThat(argv).hasSize(8);
        assertThat(argv.subList(2, 8)).containsExactly("--workdir", tmp.toString(), "--phase", "qa", "--model", "m1");
        assertThat(call.get("stdin").asText()).isEqualTo("x".repeat(41)); // read from the prompt file
        assertThat(Path.of(argv.get(1))).doesNotExist(); // prompt file removed
    }

    @Test
    void missingCommandNamesTheSetting() {
        TestSettings s = settings();
        s.setEngineCommand("/nonexistent/agent {prompt_file}");
        CommandEngine e = new CommandEngine(s.engine(), new ProcessRunner());
        assertThatThrownBy(() -> e.run(request("exec", tmp, false, null, null), CancelHandle.none()))
                .isInstanceOf(MissingBinaryException.class)
                .hasMessage("/nonexistent/agent not found or not executable: set DEKSDENFLOW_ENGINE_COMMAND");
    }
}
