package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client of /events/stream: a bounded buffer filled by the poller (which never blocks on it)
 * and a writer thread of its own that drains it into the response. A subscriber that falls more
 * than {@link #BUFFER} events behind is disconnected: the client reconnects with Last-Event-ID and
 * catches up from the event log. Only the writer thread touches the emitter.
 */
final class SseSubscriber {
    static final int BUFFER = 256;
    private static final Logger log = LoggerFactory.getLogger(SseSubscriber.class);
    private static final Item KEEP_ALIVE = new Item(-1, null);

    private record Item(long eventId, String data) {}

    private final long id;
    private final SseEmitter emitter;
    private final Long projectId;
    private final ProjectTokens.Presented tokens;
    private final Consumer<SseSubscriber> catchUp;
    private final Consumer<SseSubscriber> onClose;
    private final BlockingQueue<Item> buffer = new ArrayBlockingQueue<>(BUFFER);
    private final Thread writer;
    private volatile boolean closed;
    private long lastWritten = Long.MIN_VALUE; // writer thread only

    /**
     * @param catchUp run first on the writer thread (replays the event log after Last-Event-ID), or null
     * @param onClose told once the subscriber is gone (removes it from the poller's list)
     */
    SseSubscriber(long id, SseEmitter emitter, Long projectId, ProjectTokens.Presented tokens,
                  Consumer<SseSubscriber> catchUp, Consumer<SseSubscriber> onClose) {
        this.id = id;
        this.emitter = emitter;
        this.projectId = projectId;
        this.tokens = tokens;
        this.catchUp = catchUp;
        this.onClose = onClose;
        this.writer = new Thread(this::run, "sse-writer-" + id);
        this.writer.setDaemon(true);
    }

    void start() {
        writer.start();
    }

    boolean closed() {
        return closed;
    }

    /** Whether this subscriber may see {@code e}, whose project is {@code project} (null: deleted). */
    boolean wants(Event e, Project project) {
        if (projectId != null) return projectId == e.projectId();
        return project != null && tokens.allows(project);
    }

    /** Called by the poller: queues the event, or disconnects the subscriber when its buffer is full. */
    void offer(long eventId, String data) {
        if (closed) return;
        if (!buffer.offer(new Item(eventId, data))) {
            log.debug("event stream subscriber {} fell {} events behind: disconnecting it", id, BUFFER);
            close();
        }
    }

    void offerKeepAlive() {
        if (!closed) buffer.offer(KEEP_ALIVE);
    }

    /** Writer thread only: sends one event now (the catch-up uses it). */
    void write(long eventId, String data) throws IOException {
        if (eventId <= lastWritten) return;
        emitter.send(SseEmitter.event().id(Long.toString(eventId)).name("event").data(data));
        lastWritten = eventId;
    }

    /** Stops the subscriber; its writer completes the response once any write in progress returns. */
    void close() {
        if (closed) return;
        closed = true;
        buffer.clear();
        onClose.accept(this);
        if (Thread.currentThread() != writer) writer.interrupt();
    }

    private void run() {
        try {
            emitter.send(SseEmitter.event().comment("connected"));
            if (catchUp != null) catchUp.accept(this);
            while (!closed) {
                Item item = buffer.poll(5, TimeUnit.SECONDS);
                if (item == null || closed) continue;
                if (item == KEEP_ALIVE) emitter.send(SseEmitter.event().comment("keep-alive"));
                else write(item.eventId(), item.data());
            }
        } catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
            log.debug("event stream subscriber {} gone: {}", id, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
            try {
                emitter.complete();
            } catch (RuntimeException ignored) {
                // the connection is already gone
            }
        }
    }
}
