package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.events.Event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.events.EventStore;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * /events/stream under load over real HTTP: a client that never reads does not delay another, a
 * reconnect with Last-Event-ID misses nothing, and the number of subscribers is capped (503 JSON).
 */
@TestPropertySource(properties = "deksdenflow.sse-max-subscribers=" + EventStreamHttpTest.MAX)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EventStreamHttpTest extends ApiTestBase {
    static final int MAX = 4;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Autowired
    EventStore events;

    private HttpResponse<Stream<String>> open(long projectId, Long lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/events/stream?project_id=" + projectId)).timeout(Duration.ofSeconds(120));
        if (lastEventId != null) b.header("Last-Event-ID", Long.toString(lastEventId));
        return HttpClient.newHttpClient().send(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** A stream read on a background thread: every event it delivers, in order. */
    private final class Reader implements AutoCloseable {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final List<Long> ids = new ArrayList<>();
        private final HttpResponse<Stream<String>> response;

        Reader(long projectId, Long lastEventId) throws Exception {
            response = open(projectId, lastEventId);
            assertThat(response.statusCode()).isEqualTo(200);
            var lines = response.body().iterator();
            while (lines.hasNext() && !lines.next().startsWith(":connected")) {
                // registered once the connected comment arrived
            }
            Thread thread = new Thread(() -> {
                try {
                    String id = null;
                    while (lines.hasNext()) {
                        String line = lines.next();
                        if (line.startsWith("id:")) id = line.substring(3).trim();
                        if (line.startsWith("data:")) {
                            synchronized (ids) {
                                ids.add(Long.parseLong(id));
                            }
                            received.add(MAPPER.readTree(line.substring(5)));
                        }
                    }
                } catch (Exception | Error e) {
                    // the stream was closed
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        JsonNode next(String type, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            for (;;) {
                JsonNode e = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (e == null) throw new AssertionError("no " + type + " within " + within);
                if (e.path("event_type").asText().equals(type)) return e;
            }
        }

        List<Long> ids() {
            synchronized (ids) {
                return List.copyOf(ids);
            }
        }

        @Override
        public void close() {
            response.body().close();
        }
    }

    /** Opens a stream over a socket with a tiny receive window and never reads it. */
    private Socket stalledSubscriber(long projectId) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = s.getOutputStream();
        out.write(("GET /events/stream?project_id=" + projectId + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    @Test
    @Order(1)
    void aStalledSubscriberDoesNotDelayAHealthyOne() throws Exception {
        long project = createProject(http(), Map.of()).path("id").asLong();
        String big = "x".repeat(32 * 1024);
        try (Socket stalled = stalledSubscriber(project); Reader healthy = new Reader(project, null)) {
            for (int i = 0; i < 200; i++) {
                events.insert(project, null, null, "bulk", big, Map.of("i", i), null);
            }
            // the healthy subscriber reads all of it while the stalled one's writer is stuck on a full socket
            await().atMost(Duration.ofSeconds(60)).until(() -> healthy.received.stream()
                    .filter(e -> e.path("event_type").asText().equals("bulk")).count() == 200);
            healthy.received.clear();
            events.insert(project, null, null, "marker", "after the bulk", Map.of(), null);
            // a writer shared with the stalled subscriber would block on its full socket for good (the
            // stream's own timeout is 30 min): the marker would never come. 20 s is forty poll
            // intervals (500 ms), so a busy machine cannot cross it; only that defect can.
            JsonNode marker = healthy.next("marker", Duration.ofSeconds(20));
            assertThat(marker.path("project_id").asLong()).isEqualTo(project);
        }
    }

    @Test
    @Order(2)
    void aReconnectWithLastEventIdMissesNothing() throws Exception {
        Http http = http();
        long project = createProject(http, Map.of()).path("id").asLong();
        long seen;
        try (Reader first = new Reader(project, null)) {
            http.post("/projects/" + project + "/protocols", Map.of("protocol_name", "0001-before"));
            seen = first.next("protocol_created", Duration.ofSeconds(30)).path("id").asLong();
        }
        // recorded while the console is disconnected
        http.post("/projects/" + project + "/protocols", Map.of("protocol_name", "0002-while-away"));
        http.post("/projects/" + project + "/protocols", Map.of("protocol_name", "0003-while-away"));
        try (Reader again = new Reader(project, seen)) {
            http.post("/projects/" + project + "/protocols", Map.of("protocol_name", "0004-live"));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 3; i++) names.add(again.next("protocol_created", Duration.ofSeconds(30)).path("message").asText());
            assertThat(names.get(0)).contains("0002-while-away");
            assertThat(names.get(1)).contains("0003-while-away");
            assertThat(names.get(2)).contains("0004-live");
            List<Long> logged = new ArrayList<>();
            http.get("/events?project_id=" + project + "&limit=500").json().path("items")
                    .forEach(e -> logged.add(e.path("id").asLong()));
            List<Long> expected = logged.stream().filter(id -> id > seen).sorted().toList();
            assertThat(again.ids()).isEqualTo(expected); // every later event once, in order, none before
        }
    }

    @Test
    @Order(3)
    void subscribersBeyondTheLimitAre503Json() throws Exception {
        long project = createProject(http(), Map.of()).path("id").asLong();
        List<HttpResponse<Stream<String>>> accepted = new ArrayList<>();
        try {
            HttpResponse<Stream<String>> refused = null;
            for (int i = 0; i <= MAX && refused == null; i++) {
                HttpResponse<Stream<String>> r = open(project, null);
                if (r.statusCode() == 200) accepted.add(r); else refused = r;
            }
            assertThat(refused).as("a refusal after " + accepted.size() + " subscribers").isNotNull();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            JsonNode error = MAPPER.readTree(String.join("\n", refused.body().toList())).path("error");
            assertThat(error.path("code").asText()).isEqualTo("too_many_subscribers");
            assertThat(error.path("request_id").asText()).isEqualTo(refused.headers().firstValue("X-Request-ID").orElse(null));
        } finally {
            accepted.forEach(r -> r.body().close());
        }
    }
}
