package io.deksdenflow.orchestrator.ops;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** DEKSDENFLOW_METRICS_MODELS: the model names (comma-separated) allowed as a {@code model} label. */
@ConfigurationProperties(prefix = "deksdenflow")
public record MetricsSettings(@DefaultValue List<String> metricsModels) {

    public MetricsSettings {
        metricsModels = metricsModels == null ? List.of()
                : metricsModels.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public static MetricsSettings defaults() { return SettingsBinding.defaults(MetricsSettings.class); }

    public static MetricsSettings of(List<String> models) { return new MetricsSettings(models); }
}
