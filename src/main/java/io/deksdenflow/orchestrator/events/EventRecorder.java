package io.deksdenflow.orchestrator.events;

import io.deksdenflow.orchestrator.common.AfterCommit;
import io.deksdenflow.orchestrator.common.RequestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Appends events in the caller's transaction (so a state change and its event commit together),
 * stamps them with the request id, tells the {@link EventTrigger}s in that transaction (notifications write
 * their delivery rows and jobs there), and after commit offers them to the {@link EventSubscriber}s, in
 * the committing thread (a subscriber must not block). One of them feeds route {@code events-fanout}
 * ({@code seda:events-fanout} → {@code direct:on-event}, see {@code customize.OnEventTap}), which is
 * bounded and asynchronous: a slow or failing YAML route never delays or fails the transaction.
 */
@Component
public class EventRecorder {
    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    private final EventStore store;
    private final ObjectProvider<EventSubscriber> subscribers;
    private final ObjectProvider<EventTrigger> triggers;

    public EventRecorder(EventStore store, ObjectProvider<EventSubscriber> subscribers,
                         ObjectProvider<EventTrigger> triggers) {
        this.store = store;
        this.subscribers = subscribers;
        this.triggers = triggers;
    }

    public Event record(long projectId, Long protocolRunId, Long stepRunId, String type, String message,
                        Map<String, ?> metadata) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (metadata != null) meta.putAll(metadata);
        String requestId = RequestContext.requestId();
        if (requestId != null) meta.putIfAbsent("request_id", requestId);
        String jobId = org.slf4j.MDC.get(RequestContext.JOB_ID);
        if (jobId != null) meta.putIfAbsent("job_id", jobId);
        Event event = store.insert(projectId, protocolRunId, stepRunId, type, message, meta, requestId);
        triggers.orderedStream().forEach(t -> {
            try {
                t.recorded(event);
            } catch (RuntimeException e) { // the state change and its event matter more than what they set off
                log.warn("event trigger {} failed on event {}: {}", t.getClass().getSimpleName(), event.id(), e.toString());
            }
        });
        List<EventSubscriber> targets = subscribers.orderedStream().toList();
        if (!targets.isEmpty()) {
            AfterCommit.run(() -> {
                for (EventSubscriber s : targets) {
                    try {
                        s.onEvent(event);
                    } catch (RuntimeException e) {
                        log.warn("event subscriber {} failed on event {}: {}", s.getClass().getSimpleName(), event.id(), e.toString());
                    }
                }
            });
        }
        return event;
    }
}
