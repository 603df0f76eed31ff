package io.deksdenflow.orchestrator.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.Clock;
import io.deksdenflow.orchestrator.common.UnauthorizedException;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import io.deksdenflow.orchestrator.store.EventStore;
import io.deksdenflow.orchestrator.store.ProjectStore;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * fans them out to the subscribers allowed to see them. Auth: the bearer filter, plus the
 * project's X-Project-Token.
 */
@RestController
class EventStreamController {
    private static final long TIMEOUT_MS = 30 * 60 * 1000L;
    private final EventStore events;
    private final ProjectStore projects;
    private final ObjectMapper json;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "event-stream-poller");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastId = -1;
    private volatile long lastHeartbeat = Clock.now();

    private record Subscriber(SseEmitter emitter, Long projectId) {}

    EventStreamController(EventStore events, ProjectStore projects, ObjectMapper json) {
        this.events = events;
        this.projects = projects;
        this.json = json;
        poller.scheduleWithFixedDelay(this::poll, 500, 500, TimeUnit.MILLISECONDS);
    }

    @GetMapping(path = "/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    ResponseEntity<?> stream(@RequestParam(name = "project_id", required = false) String projectId,
                             @RequestHeader(name = "X-Project-Token", required = false) String token) {
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
        if (lastId < 0) lastId = events.maxId();
        SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
        Subscriber s = new Subscriber(emitter, pid);
        subscribers.add(s);
        emitter.onCompletion(() -> subscribers.remove(s));
        emitter.onTimeout(() -> subscribers.remove(s));
        emitter.onError(e -> subscribers.remove(s));
        try {
            emitter.send(SseEmitter.event().comment("connected"));
        } catch (IOException e) {
            subscribers.remove(s);
        }
        return ResponseEntity.ok().header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no").body(emitter);
    }

    private void poll() {
        try {
            if (subscribers.isEmpty()) {
                lastId = -1;
                return;
            }
            if (lastId < 0) lastId = events.maxId();
            List<Event> fresh = events.since(lastId, 500);
            for (Event e : fresh) {
                lastId = Math.max(lastId, e.id());
                String data = json.writeValueAsString(e.view());
                Boolean open = null; // whether the event's project has no token: looked up once per event, if needed
                for (Subscriber s : subscribers) {
                    boolean visible;
                    if (s.projectId() != null) {
                        visible = s.projectId() == e.projectId();
                    } else {
                        if (open == null) open = projects.find(e.projectId()).map(p -> !p.hasProjectToken()).orElse(false);
                        visible = open;
                    }
                    if (visible) send(s, SseEmitter.event().id(Long.toString(e.id())).name("event").data(data));
                }
            }
            if (Clock.now() - lastHeartbeat > 15_000) {
                lastHeartbeat = Clock.now();
                for (Subscriber s : subscribers) send(s, SseEmitter.event().comment("keep-alive"));
            }
        } catch (Exception e) {
            // the poller must survive a database hiccup; the next tick retries
        }
    }

    private void send(Subscriber s, SseEmitter.SseEventBuilder event) {
        try {
            s.emitter().send(event);
        } catch (IOException | IllegalStateException ex) {
            subscribers.remove(s);
        }
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error",
                Map.of("code", code, "message", message, "request_id",
                        String.valueOf(org.slf4j.MDC.get(io.deksdenflow.orchestrator.common.RequestContext.REQUEST_ID)))));
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
        subscribers.forEach(s -> s.emitter().complete());
    }
}
