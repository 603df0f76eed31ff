package io.deksdenflow.orchestrator.queue;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** {@code queue-outbox-relay} polls the outbox every 200 ms; {@code queue-outbox-poke} relays on demand. */
@Component
public class OutboxRoutes extends RouteBuilder {
    static final String POLL = "timer:queue-outbox-relay?period=200&delay=200";
    private final OutboxRelay relay;

    public OutboxRoutes(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public void configure() {
        if (!relay.enabled()) return;
        from(POLL).routeId("queue-outbox-relay")
                .bean(relay, "relayPending");
        from(OutboxRelay.POKE).routeId("queue-outbox-poke")
                .bean(relay, "relayPending");
    }
}
