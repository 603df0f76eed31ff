package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.http.ServerPaths;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.RequestContext;
import io.deksdenflow.orchestrator.common.UnauthorizedException;
import io.deksdenflow.orchestrator.http.ApiSettings;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.project.ProjectStore;
import jakarta.annotation.PreDestroy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * GET /events/stream?project_id=: Server-Sent Events of the event log. A streaming response is the
 * one endpoint served by Spring MVC instead of the Camel REST DSL. One poller per process reads
 * new rows from the database (so events recorded by worker processes reach the console too) and
 * offers each to the subscribers allowed to see it; every subscriber has a bounded buffer and its
 * own writer thread ({@link SseSubscriber}), so a client that does not read never delays another.
 * A subscriber that falls more than its buffer behind is disconnected; it reconnects with
 * {@code Last-Event-ID} and catches up from the event log. At most DEKSDENFLOW_SSE_MAX_SUBSCRIBERS
 * at once (503 beyond). Auth: the bearer filter, plus X-Project-Token (several for the unscoped stream).
 */
@RestController
class EventStreamController {
    private static final Logger log = LoggerFactory.getLogger(EventStreamController.class);
    private static final long TIMEOUT_MS = 30 * 60 * 1000L;
    private static final int PAGE = 500;
    private final EventStore events;
    private final ProjectStore projects;
    private final ObjectMapper json;
    private final ServerPaths paths;
    private final int maxSubscribers;
    private final List<SseSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "event-stream-poller");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastId = -1;
    private volatile long lastHeartbeat = Clock.now();

    EventStreamController(EventStore events, ProjectStore projects, ObjectMapper json, ApiSettings settings,
                          ServerPaths paths) {
        this.paths = paths;
        this.events = events;
        this.projects = projects;
        this.json = json;
        this.maxSubscribers = settings.sseMaxSubscribers();
        poller.scheduleWithFixedDelay(this::poll, 500, 500, TimeUnit.MILLISECONDS);
    }

    @GetMapping(path = "/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<?> stream(@RequestParam(name = "project_id", required = false) String projectId,
                             @RequestHeader(name = "X-Project-Token", required = false) String token,
                             @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        Long pid = null;
        if (projectId != null && !projectId.isBlank()) {
            try {
                pid = Long.parseLong(projectId.trim());
            } catch (NumberFormatException e) {
                return error(HttpStatus.UNPROCESSABLE_ENTITY, "validation_failed", "project_id must be a positive integer id");
            }
            Project p = projects.find(pid).orElse(null);
            if (p == null) return error(HttpStatus.NOT_FOUND, "not_found", "project " + pid + " not found");
            try {
                ProjectTokens.require(p, token);
            } catch (UnauthorizedException e) {
                return error(HttpStatus.UNAUTHORIZED, "unauthorized", e.getMessage());
            }
        }
        Long resumeAfter = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                resumeAfter = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                return error(HttpStatus.UNPROCESSABLE_ENTITY, "validation_failed", "Last-Event-ID must be an event id");
            }
        }
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        SseSubscriber s;
        synchronized (subscribers) {
            if (subscribers.size() >= maxSubscribers) {
                return error(HttpStatus.SERVICE_UNAVAILABLE, "too_many_subscribers",
                        "the event stream has " + maxSubscribers + " subscribers; retry later or poll /events");
            }
            if (lastId < 0) lastId = events.maxId();
            Long after = resumeAfter;
            s = new SseSubscriber(ids.incrementAndGet(), emitter, pid, ProjectTokens.presented(token),
                    after == null ? null : sub -> catchUp(sub, after), subscribers::remove);
            subscribers.add(s);
        }
        emitter.onCompletion(s::close);
        emitter.onTimeout(s::close);
        emitter.onError(e -> s.close());
        s.start();
        return ResponseEntity.ok().header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no").body(emitter);
    }

    /** Events after {@code afterId} the subscriber may see, read page by page from the event log. */
    private void catchUp(SseSubscriber s, long afterId) {
        Map<Long, Project> cache = new HashMap<>();
        long cursor = afterId;
        try {
            while (!s.closed()) {
                List<Event> page = events.since(cursor, PAGE);
                for (Event e : page) {
                    cursor = e.id();
                    if (s.wants(e, projectOf(cache, e.projectId()))) s.write(e.id(), render(e));
                }
                if (page.size() < PAGE) return;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void poll() {
        try {
            synchronized (subscribers) { // never reset the cursor under a subscriber registering right now
                if (subscribers.isEmpty()) {
                    lastId = -1;
                    return;
                }
            }
            if (lastId < 0) lastId = events.maxId();
            List<Event> fresh = events.since(lastId, PAGE);
            Map<Long, Project> cache = new HashMap<>();
            for (Event e : fresh) {
                lastId = Math.max(lastId, e.id());
                String data = null;
                for (SseSubscriber s : subscribers) {
                    if (!s.wants(e, projectOf(cache, e.projectId()))) continue;
                    if (data == null) data = render(e);
                    s.offer(e.id(), data);
                }
            }
            if (Clock.now() - lastHeartbeat > 15_000) {
                lastHeartbeat = Clock.now();
                for (SseSubscriber s : subscribers) s.offerKeepAlive();
            }
        } catch (Exception e) {
            // the poller must survive a database hiccup; the next tick retries
            log.debug("event stream poll failed", e);
        }
    }

    /** The event's project, looked up once per batch (null when it is gone). */
    private Project projectOf(Map<Long, Project> cache, long projectId) {
        return cache.computeIfAbsent(projectId, id -> projects.find(id).orElse(null));
    }

    private String render(Event e) {
        try {
            return paths.hide(json.writeValueAsString(e.view()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error",
                Map.of("code", code, "message", message, "request_id", String.valueOf(MDC.get(RequestContext.REQUEST_ID)))));
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
        subscribers.forEach(SseSubscriber::close);
    }
}
