package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.Forges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code webhooks_total{provider, outcome}}; outcomes are bounded, providers too: the registered forges,
 * the shipped YAML route's {@code jenkins}, else {@code other}.
 */
@Component
class WebhookMetrics {
    public static final String NAME = "webhooks_total";
    public static final Set<String> OUTCOMES = Set.of("accepted", "ignored", "duplicate", "unauthorized", "invalid");
    /** Providers of the YAML routes shipped in {@code routes/} that post to {@code direct:ci-status}. */
    private static final Set<String> YAML_PROVIDERS = Set.of("jenkins");

    private final MeterRegistry registry;
    private final Set<String> providers;

    public WebhookMetrics(MeterRegistry registry, Forges forges) {
        this.registry = registry;
        Set<String> known = new HashSet<>(forges.ids());
        known.addAll(YAML_PROVIDERS);
        this.providers = Set.copyOf(known);
    }

    public void count(String provider, String outcome) {
        String p = provider != null && providers.contains(provider) ? provider : "other";
        String o = OUTCOMES.contains(outcome) ? outcome : "invalid";
        Counter.builder(NAME).description("Webhook deliveries and CI statuses by outcome")
                .tag("provider", p).tag("outcome", o).register(registry).increment();
    }
}
