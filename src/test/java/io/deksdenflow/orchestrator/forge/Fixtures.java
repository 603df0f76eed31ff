package io.deksdenflow.orchestrator.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;

/** Webhook payload fixtures under src/test/resources/webhooks/. */
public final class Fixtures {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/webhooks/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode json(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(bytes(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first example GitHub publishes (@octokit/webhooks-examples 7.6.1) of {@code event} with {@code action}, a copy. */
    public static ObjectNode octokit(String event, String action) {
        try (InputStream in = new GZIPInputStream(
                Fixtures.class.getResourceAsStream("/webhooks/octokit/webhooks-examples-7.6.1.json.gz"))) {
            for (JsonNode e : MAPPER.readTree(in)) {
                if (!e.path("name").asText().equals(event)) continue;
                for (JsonNode ex : e.path("examples")) {
                    if (ex.path("action").asText().equals(action)) return ((ObjectNode) ex).deepCopy();
                }
            }
            throw new IllegalArgumentException("no example " + event + "." + action);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
