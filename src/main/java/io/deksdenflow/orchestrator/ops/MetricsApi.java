package io.deksdenflow.orchestrator.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.stereotype.Component;

/** GET /metrics: the Prometheus text exposition of every meter. */
@Component
public class MetricsApi {
    private final PrometheusMeterRegistry registry;

    MetricsApi(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public String scrape() {
        return registry.scrape();
    }
}
