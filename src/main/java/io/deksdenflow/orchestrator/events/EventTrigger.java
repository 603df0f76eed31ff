package io.deksdenflow.orchestrator.events;

/**
 * Told about every event inside the transaction that records it, so that what the event sets off commits with
 * it or not at all (e.g. a notification's delivery row and its job). Must be quick, do no I/O but the database,
 * and not fail for reasons of its own: {@link EventRecorder} logs and swallows what it throws.
 */
public interface EventTrigger {
    void recorded(Event event);
}
