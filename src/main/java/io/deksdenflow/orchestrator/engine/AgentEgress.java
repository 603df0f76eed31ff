package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.engine.egress.EgressDenial;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one sandboxed run may reach on the network: its allow-list entries (see
 * EgressRule) and who hears of each refused
 * connection (nullable; called once per {@code host:port} and run, from the proxy's threads).
 */
public record AgentEgress(List<String> entries, Consumer<EgressDenial> denied) {
    public AgentEgress {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
