package io.deksdenflow.orchestrator.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small real-HTTP client for the tests: JSON in, status + JSON out. */
public final class Http {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Http header(String name, String value) {
        Http copy = new Http(base);
        copy.headers.putAll(headers);
        if (value == null) copy.headers.remove(name); else copy.headers.put(name, value);
        return copy;
    }

    private Http(String base) {
        this.base = base;
    }

    public record Response(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path, Object body) {
        String text;
        try {
            text = body == null ? "" : body instanceof String s ? s : MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)));
    }

    public Response patch(String path, Object body) {
        String text;
        try {
            text = body == null ? "" : body instanceof String s ? s : MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(text)));
    }

    public Response postBytes(String path, byte[] body, Map<String, String> extra) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        extra.forEach(b::header);
        return send(b);
    }

    private Response send(HttpRequest.Builder b) {
        headers.forEach(b::header);
        b.timeout(Duration.ofSeconds(60));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }
}
