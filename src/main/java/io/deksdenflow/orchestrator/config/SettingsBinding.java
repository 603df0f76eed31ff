package io.deksdenflow.orchestrator.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Binds one settings record outside a Spring context, the way start-up binds it: its defaults are the
 * record's {@code @DefaultValue}s, its checks run in its constructor. For {@code defaults()} factories and
 * tests; the service itself gets its records from {@code @ConfigurationPropertiesScan}.
 */
public final class SettingsBinding {
    private SettingsBinding() {}

    /** The record with every setting at its default. */
    public static <T> T defaults(Class<T> type) {
        return bind(type, Map.of());
    }

    /**
     * The record bound from {@code properties}, keyed by the setting's name below the record's prefix in
     * kebab case (e.g. {@code worker-concurrency} for DEKSDENFLOW_WORKER_CONCURRENCY).
     */
    public static <T> T bind(Class<T> type, Map<String, String> properties) {
        String prefix = type.getAnnotation(ConfigurationProperties.class).prefix();
        Map<String, String> named = new LinkedHashMap<>();
        properties.forEach((k, v) -> named.put(prefix + "." + k, v));
        return new Binder(new MapConfigurationPropertySource(named)).bindOrCreate(prefix, type);
    }
}
