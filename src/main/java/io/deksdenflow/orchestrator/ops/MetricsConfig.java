package io.deksdenflow.orchestrator.ops;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Prometheus registry is always present (also in tests, where Spring Boot would otherwise
 * fall back to an in-memory registry), so /metrics is the same everywhere.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfig {
    @Bean
    PrometheusMeterRegistry prometheusMeterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
