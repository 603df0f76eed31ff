package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineRegistryTest {
    private final TestSettings settings = new TestSettings();
    private final ProcessRunner runner = new ProcessRunner();
    private final EngineRegistry registry = new EngineRegistry(List.of(
            new CodexEngine(settings.engine(), runner), new ClaudeEngine(settings.engine(), runner), new CommandEngine(settings.engine(), runner)));

    @Test
    void findsEnginesByName() {
        assertThat(registry.names()).containsExactly("claude", "codex", "command");
        assertThat(registry.get("codex")).isInstanceOf(CodexEngine.class);
        assertThat(registry.requireKnown("claude")).isEqualTo("claude");
    }

    @Test
    void unknownEngineIsAValidationErrorOnTheEngineField() {
        assertThatThrownBy(() -> registry.get("gpt-cli"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("engine"))
                .hasMessageContaining("unknown engine 'gpt-cli'");
    }
}
