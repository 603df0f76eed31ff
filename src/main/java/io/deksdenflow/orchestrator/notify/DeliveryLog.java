package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.store.Page;
import org.springframework.stereotype.Component;

/** A project's notification delivery log, newest first (the API's {@code /projects/{id}/notifications/deliveries}). */
@Component
public class DeliveryLog {
    private final DeliveryStore store;

    DeliveryLog(DeliveryStore store) {
        this.store = store;
    }

    /** Without the channels' URLs and secrets: {@link Delivery#channel()} is null here. */
    public Page<Delivery> byProject(long projectId, Long before, int limit) {
        return store.byProject(projectId, before, limit);
    }
}
