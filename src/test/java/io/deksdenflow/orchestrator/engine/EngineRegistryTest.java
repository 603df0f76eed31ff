package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.config.Settings;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineRegistryTest {
    private final Settings settings = new Settings();
    private final ProcessRunner runner = new ProcessRunner();
    private final EngineRegistry registry = new EngineRegistry(List.of(
            new CodexEngine(settings, runner), new ClaudeEngine(settings, runner), new CommandEngine(settings, runner)));

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
