package io.deksdenflow.orchestrator.testsupport;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the flow test bases share: a bare origin per test, a project registered until set up, a protocol's events. */
public final class Projects {
    private Projects() {}

    /** A bare origin at {@code <root>/repo…/<owner>/origin.git} with one commit on main. */
    public static String origin(Path root, String owner) {
        try {
            Path dir = Files.createDirectories(Files.createTempDirectory(root, "repo").resolve(owner));
            return TestRepos.bareOrigin(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Registers a project for {@code gitUrl} (plus {@code extra} fields) and waits until its setup ended. */
    public static JsonNode ready(Http http, String gitUrl, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "p-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("git_url", gitUrl);
        body.putAll(extra);
        Http.Response r = http.post("/projects", body);
        if (r.status() != 201) throw new AssertionError(r.body());
        long id = r.json().path("id").asLong();
        await().atMost(Duration.ofSeconds(90)).until(() -> !http.get("/projects/" + id).json().path("status").asText()
                .matches("pending|setting_up"));
        return http.get("/projects/" + id).json();
    }

    /** The protocol's event types, newest first (up to 500). */
    public static List<String> eventTypes(Http http, long protocolId) {
        List<String> out = new ArrayList<>();
        http.get("/protocols/" + protocolId + "/events?limit=500").json().path("items")
                .forEach(e -> out.add(e.path("event_type").asText()));
        return out;
    }

    /** The protocol's newest event of {@code type}; fails naming the types it has when there is none. */
    public static JsonNode event(Http http, long protocolId, String type) {
        for (JsonNode e : http.get("/protocols/" + protocolId + "/events?limit=500").json().path("items")) {
            if (e.path("event_type").asText().equals(type)) return e;
        }
        throw new AssertionError("no " + type + " event; have " + eventTypes(http, protocolId));
    }
}
