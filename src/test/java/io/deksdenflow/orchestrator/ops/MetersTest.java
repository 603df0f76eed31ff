package io.deksdenflow.orchestrator.ops;

import io.deksdenflow.orchestrator.http.HttpMethods;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import static org.assertj.core.api.Assertions.assertThat;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Model names are metric labels only when configured; anything else is "other". */
class MetersTest {

    private static List<String> modelLabels(List<String> configured, String... used) {
        TestSettings settings = new TestSettings();
        settings.setMetricsModels(configured);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Meters meters = new Meters(registry, settings.metrics());
        for (String model : used) meters.engineUsage("codex", model, "exec", 10, 5, null);
        return registry.find("engine_tokens").meters().stream().map(Meter::getId).map(id -> id.getTag("model"))
                .distinct().sorted().toList();
    }

    @Test
    void byDefaultEveryModelIsOther() {
        assertThat(modelLabels(List.of(), "gpt-5", "team-a-private-finetune", null, "")).containsExactly("other");
    }

    @Test
    void onlyConfiguredModelsBecomeLabels() {
        assertThat(modelLabels(List.of("gpt-5", " claude-sonnet "), "gpt-5", "claude-sonnet", "made-up-" + System.nanoTime()))
                .containsExactly("claude-sonnet", "gpt-5", "other");
    }

    @Test
    void methodLabelsAreBounded() {
        assertThat(HttpMethods.label("GET")).isEqualTo("GET");
        assertThat(HttpMethods.label("PROPFIND")).isEqualTo("OTHER");
        assertThat(HttpMethods.label("get")).isEqualTo("OTHER");
        assertThat(HttpMethods.label(null)).isEqualTo("OTHER");
    }
}
