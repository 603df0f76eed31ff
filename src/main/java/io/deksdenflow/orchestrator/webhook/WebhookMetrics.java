package io.deksdenflow.orchestrator.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import org.springframework.stereotype.Component;

/** {@code webhooks_total{provider, outcome}}; outcomes are bounded, providers too. */
@Component
class WebhookMetrics {
    public static final String NAME = "webhooks_total";
    public static final Set<String> OUTCOMES = Set.of("accepted", "ignored", "duplicate", "unauthorized", "invalid");
    private static final Set<String> PROVIDERS = Set.of("github", "gitlab", "jenkins");

    private final MeterRegistry registry;

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void count(String provider, String outcome) {
        String p = provider != null && PROVIDERS.contains(provider) ? provider : "other";
        String o = OUTCOMES.contains(outcome) ? outcome : "invalid";
        Counter.builder(NAME).description("Webhook deliveries and CI statuses by outcome")
                .tag("provider", p).tag("outcome", o).register(registry).increment();
    }
}
