package io.deksdenflow.orchestrator.customize;

import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventSubscriber;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Offers every event this process records to {@code direct:on-event} when a route (a user YAML
 * route, e.g. routes/slack-notify.yaml) consumes it: after commit, through a bounded queue
 * (DEKSDENFLOW_EVENT_TAP_QUEUE_SIZE), sent one at a time by a single background thread. A full queue
 * drops the event ({@code event_tap_dropped_total}); a failing consumer is logged and counted
 * ({@code event_tap_failures_total}). Neither ever blocks or fails the request that recorded it.
 */
@Component
public class OnEventTap implements EventSubscriber, CamelContextConfiguration {
    public static final String ENDPOINT = "direct:on-event";
    public static final String DROPPED = "event_tap_dropped_total";
    public static final String FAILURES = "event_tap_failures_total";
    private static final Logger log = LoggerFactory.getLogger(OnEventTap.class);

    private final BlockingQueue<Map<String, Object>> queue;
    private final Counter dropped;
    private final Counter failures;
    private volatile ProducerTemplate producer;
    private volatile Thread thread;

    public OnEventTap(Settings settings, MeterRegistry registry) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, settings.getEventTapQueueSize()));
        this.dropped = Counter.builder(DROPPED).description("Events not offered to direct:on-event: queue full")
                .register(registry);
        this.failures = Counter.builder(FAILURES).description("Events the direct:on-event consumer failed on")
                .register(registry);
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        // routes are not all added yet
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
        if (!consumed(context)) {
            log.debug("no route consumes {}: the event tap stays off", ENDPOINT);
            return;
        }
        producer = context.createProducerTemplate();
        Thread t = new Thread(this::drain, "event-tap");
        t.setDaemon(true);
        thread = t;
        t.start();
        log.info("event tap on: recorded events go to {}", ENDPOINT);
    }

    /** Whether some route's input is {@code direct:on-event}. */
    static boolean consumed(CamelContext context) {
        for (Route r : context.getRoutes()) {
            String uri = r.getEndpoint().getEndpointUri();
            if (uri.equals("direct://on-event") || uri.equals(ENDPOINT)) {
                return true;
            }
        }
        return false;
    }

    public boolean active() {
        return thread != null;
    }

    @Override
    public void onEvent(Event event) {
        if (thread == null) {
            return;
        }
        if (!queue.offer(toMap(event))) {
            dropped.increment();
        }
    }

    static Map<String, Object> toMap(Event e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("project_id", e.projectId());
        m.put("protocol_run_id", e.protocolRunId());
        m.put("step_run_id", e.stepRunId());
        m.put("event_type", e.eventType());
        m.put("message", e.message());
        m.put("metadata", e.metadata() == null ? Map.of() : e.metadata());
        m.put("created_at", Instant.ofEpochMilli(e.createdAt()).toString());
        return m;
    }

    private void drain() {
        while (!Thread.currentThread().isInterrupted()) {
            Map<String, Object> event;
            try {
                event = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                continue;
            }
            try {
                producer.sendBody(ENDPOINT, event);
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("{} consumer failed on event {} ({}): {}", ENDPOINT, event.get("id"), event.get("event_type"),
                        rootMessage(e));
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.toString();
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            t.interrupt();
        }
    }
}
