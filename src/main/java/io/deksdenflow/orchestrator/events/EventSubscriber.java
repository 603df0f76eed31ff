package io.deksdenflow.orchestrator.events;

/** Told about every event this process recorded, after its transaction committed. Must not block. */
public interface EventSubscriber {
    void onEvent(Event event);
}
