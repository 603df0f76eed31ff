package io.deksdenflow.orchestrator.customize;

import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.events.EventSubscriber;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Route {@code events-fanout}: every event this process records goes, after its transaction committed
 * ({@code EventRecorder} tells its {@link EventSubscriber}s), into {@code seda:events-fanout}, a bounded
 * queue (DEKSDENFLOW_EVENT_TAP_QUEUE_SIZE) whose single consumer sends the events one at a time, as a
 * map, to every subscriber route: each route whose input is {@code direct:on-event} or
 * {@code direct:on-event-<name>} (e.g. routes/slack-notify.yaml on {@code direct:on-event-slack}), so that any
 * number of YAML customisations each have their own route and file. The subscribers are found once the routes
 * have started; with none, nothing is queued. Each subscriber gets its own copy of the event, in turn; one that
 * fails is logged and counted ({@code event_tap_failures_total}) and the others still get the event. A full queue
 * drops the event ({@code event_tap_dropped_total}, logged at debug). Neither ever blocks or fails the request
 * that recorded the event. (The SSE stream does not go through this lossy queue: it reads the event log; the
 * notification channels of {@code notify} do not either: their deliveries are written with the event.)
 */
@Component
public class OnEventTap extends RouteBuilder implements EventSubscriber, CamelContextConfiguration {
    /** The subscription point: this endpoint, or one named {@code direct:on-event-<name>}, one route each. */
    public static final String ENDPOINT = "direct:on-event";
    /** Exchange property of {@code events-fanout} holding the event while it is handed to each subscriber. */
    static final String EVENT = "onEvent";
    static final String TARGET = "onEventTarget";
    public static final String ROUTE_ID = "events-fanout";
    public static final String DROPPED = "event_tap_dropped_total";
    public static final String FAILURES = "event_tap_failures_total";
    private static final Logger log = LoggerFactory.getLogger(OnEventTap.class);

    /** The queue: a full one refuses the event (the sender counts the drop) rather than blocking the sender. */
    private final String fanout;
    private final Counter dropped;
    private final Counter failures;
    private volatile ProducerTemplate producer;
    private volatile List<String> subscribers = List.of();

    public OnEventTap(CustomizeSettings settings, MeterRegistry registry) {
        this.fanout = "seda:events-fanout?size=" + Math.max(1, settings.eventTapQueueSize())
                + "&blockWhenFull=false&discardWhenFull=false&pollTimeout=100"; // a short poll: a quick graceful stop
        this.dropped = Counter.builder(DROPPED).description("Events not offered to direct:on-event: queue full")
                .register(registry);
        this.failures = Counter.builder(FAILURES).description("Events the direct:on-event consumer failed on")
                .register(registry);
    }

    @Override
    public void configure() {
        from(fanout).routeId(ROUTE_ID)
                .description("Recorded events, after commit → each direct:on-event[-<name>] route (YAML customization);"
                        + " bounded, never blocks the recorder")
                .setProperty(EVENT, body())
                .split(method(this, "subscribers")).id("events-fanout-each-subscriber")
                    .setProperty(TARGET, body())
                    .process(e -> e.getMessage().setBody(copy(e.getProperty(EVENT, Map.class))))
                    .doTry()
                        .toD("${exchangeProperty." + TARGET + "}").id("events-fanout-on-event")
                    .doCatch(Exception.class) // the consumer's own error handler has already given up on it
                        .process(this::failed).id("events-fanout-count-failure")
                    .end()
                .end();
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        // routes are not all added yet
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
        List<String> found = subscribers(context);
        if (found.isEmpty()) {
            log.debug("no route consumes {} or {}-<name>: the event tap stays off", ENDPOINT, ENDPOINT);
            return;
        }
        subscribers = found;
        producer = context.createProducerTemplate();
        log.info("event tap on: recorded events go to {} through route {}", found, ROUTE_ID);
    }

    /** The inputs of the routes subscribed to events: {@code direct:on-event} and {@code direct:on-event-<name>}, sorted. */
    static List<String> subscribers(CamelContext context) {
        List<String> out = new ArrayList<>();
        for (Route r : context.getRoutes()) {
            String uri = r.getEndpoint().getEndpointUri().replace("direct://", "direct:");
            int query = uri.indexOf('?');
            String name = query < 0 ? uri : uri.substring(0, query);
            if (name.equals(ENDPOINT) || name.matches(Pattern.quote(ENDPOINT) + "-[A-Za-z0-9_.-]+")) out.add(name);
        }
        out.sort(null);
        return List.copyOf(out);
    }

    /** The subscriber routes' inputs (the split of {@code events-fanout}). */
    public List<String> subscribers() {
        return subscribers;
    }

    private static Map<String, Object> copy(Map<?, ?> event) {
        Map<String, Object> m = new LinkedHashMap<>();
        event.forEach((k, v) -> m.put(String.valueOf(k), v));
        return m;
    }

    public boolean active() {
        return producer != null;
    }

    /** Called by EventRecorder after commit: queues the event, or counts it dropped when the queue is full. */
    @Override
    public void onEvent(Event event) {
        ProducerTemplate p = producer;
        if (p == null) {
            return;
        }
        try {
            p.sendBody(fanout, toMap(event));
        } catch (CamelExecutionException e) {
            if (e.getCause() instanceof IllegalStateException) { // the seda queue is full
                dropped.increment();
                log.debug("{} queue full: event {} ({}) dropped", ROUTE_ID, event.id(), event.eventType());
            } else {
                throw e;
            }
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

    private void failed(Exchange exchange) {
        failures.increment();
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Map<?, ?> event = exchange.getProperty(EVENT, Map.class);
        log.warn("{} consumer failed on event {} ({}): {}", exchange.getProperty(TARGET), event == null ? null : event.get("id"),
                event == null ? null : event.get("event_type"), rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t != null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t);
    }
}
