package io.deksdenflow.orchestrator.customize;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator's Camel routes: DEKSDENFLOW_ROUTES_DIR (loaded at start-up through
 * {@code camel.main.routes-include-pattern} in application.yml) and the bound of the queue in front of
 * {@code direct:on-event} (DEKSDENFLOW_EVENT_TAP_QUEUE_SIZE).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record CustomizeSettings(
        @DefaultValue("./routes") String routesDir,
        @DefaultValue("1000") int eventTapQueueSize) {

    public CustomizeSettings {
        routesDir = SettingsChecks.orEmpty(routesDir);
        SettingsChecks.atLeast("DEKSDENFLOW_EVENT_TAP_QUEUE_SIZE", eventTapQueueSize, 1);
    }

    public static CustomizeSettings defaults() { return SettingsBinding.defaults(CustomizeSettings.class); }
}
