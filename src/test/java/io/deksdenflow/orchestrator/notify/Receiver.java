package io.deksdenflow.orchestrator.notify;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP receiver on 127.0.0.1 (a webhook or Slack stand-in): records every request (path, headers in lower
 * case, body) and answers the scripted statuses in turn (then 200), with {@code Retry-After} where scripted.
 */
final class Receiver implements AutoCloseable {
    record Request(String path, Map<String, String> headers, String body, int answered) {}

    private final HttpServer server;
    private final Deque<int[]> script = new ArrayDeque<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            int[] next;
            synchronized (script) {
                next = script.isEmpty() ? new int[] {200, -1} : script.poll();
            }
            requests.add(new Request(exchange.getRequestURI().getPath(), headers,
                    new String(body, StandardCharsets.UTF_8), next[0]));
            if (next[1] >= 0) exchange.getResponseHeaders().add("Retry-After", Integer.toString(next[1]));
            exchange.sendResponseHeaders(next[0], -1);
            exchange.close();
        });
        server.start();
    }

    /** The next answers: a status each, with {@code Retry-After} seconds ({@code -1}: none). */
    Receiver answer(int status, int retryAfterSeconds) {
        synchronized (script) {
            script.add(new int[] {status, retryAfterSeconds});
        }
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> on(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
