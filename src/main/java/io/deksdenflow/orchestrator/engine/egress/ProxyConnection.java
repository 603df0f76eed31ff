package io.deksdenflow.orchestrator.engine.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One connection to the egress HTTP proxy: {@code CONNECT host:port} (a tunnel, for HTTPS) or a plain
 * HTTP request with an absolute URI ({@code GET http://host/path}), checked against the run's
 * {@link EgressPolicy}. A refused request gets {@code 403} and is reported to the run once.
 */
final class ProxyConnection {
    static final int MAX_HEAD = 32 * 1024;

    private final EgressProxy proxy;
    private final SocketChannel client;

    ProxyConnection(EgressProxy proxy, SocketChannel client) {
        this.proxy = proxy;
        this.client = client;
    }

    /** The request head (up to the blank line) and whatever the client sent after it. */
    record Head(List<String> lines, byte[] rest) {}

    void serve() {
        try {
            Head head = readHead();
            if (head == null || head.lines().isEmpty()) {
                respond(400, "Bad Request", "no request");
                return;
            }
            String[] req = head.lines().get(0).split(" ");
            if (req.length != 3 || !req[2].startsWith("HTTP/1.")) {
                respond(400, "Bad Request", "not an HTTP/1.x request");
                return;
            }
            if (req[0].equalsIgnoreCase("CONNECT")) tunnel(req[1], head);
            else plain(req, head);
        } catch (IOException e) {
            // the client went away
        }
    }

    private void tunnel(String authority, Head head) throws IOException {
        HostPort target = HostPort.parse(authority, -1);
        if (target == null) {
            respond(400, "Bad Request", "CONNECT needs host:port");
            return;
        }
        SocketChannel upstream = open(target);
        if (upstream == null) return;
        try {
            write(client, "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (head.rest().length > 0) write(upstream, head.rest());
            proxy.splice(client, upstream);
        } finally {
            proxy.closeQuietly(upstream);
        }
    }

    private void plain(String[] req, Head head) throws IOException {
        URI uri;
        try {
            uri = new URI(req[1]);
        } catch (URISyntaxException e) {
            respond(400, "Bad Request", "not a URI");
            return;
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            respond(400, "Bad Request", "only http:// URIs and CONNECT are proxied");
            return;
        }
        HostPort target = new HostPort(uri.getHost(), uri.getPort() == -1 ? 80 : uri.getPort());
        SocketChannel upstream = open(target);
        if (upstream == null) return;
        try {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
            StringBuilder out = new StringBuilder(req[0]).append(' ').append(path).append(' ').append(req[2]).append("\r\n");
            for (String h : head.lines().subList(1, head.lines().size())) {
                String name = h.contains(":") ? h.substring(0, h.indexOf(':')).strip().toLowerCase(Locale.ROOT) : "";
                // one request per connection: a second one could name another host
                if (name.startsWith("proxy-") || name.equals("connection") || name.equals("keep-alive")) continue;
                out.append(h).append("\r\n");
            }
            out.append("Connection: close\r\n\r\n");
            write(upstream, out.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (head.rest().length > 0) write(upstream, head.rest());
            proxy.splice(client, upstream);
        } finally {
            proxy.closeQuietly(upstream);
        }
    }

    /** The upstream connection, or null after answering the client with the refusal. */
    private SocketChannel open(HostPort target) throws IOException {
        EgressPolicy.Decision d = proxy.policy().decide(target.host(), target.port());
        if (!d.allowed() && EgressPolicy.UNKNOWN_HOST.equals(d.reason())) {
            respond(502, "Bad Gateway", "cannot resolve " + target.host());
            return null;
        }
        if (!d.allowed()) {
            proxy.denied(target.host(), target.port(), d.reason());
            respond(403, "Forbidden", "egress to " + target + " denied (" + d.reason()
                    + "); the allow-list is DEKSDENFLOW_AGENT_EGRESS or the project's agent_egress");
            return null;
        }
        try {
            return proxy.connect(d.addresses(), target.port());
        } catch (IOException e) {
            respond(502, "Bad Gateway", "cannot connect to " + target);
            return null;
        }
    }

    private Head readHead() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (buf.size() < MAX_HEAD) {
            b.clear();
            if (client.read(b) < 0) return null;
            buf.write(b.array(), 0, b.position());
            byte[] all = buf.toByteArray();
            int end = indexOf(all, new byte[] {'\r', '\n', '\r', '\n'});
            if (end >= 0) {
                String text = new String(all, 0, end, StandardCharsets.ISO_8859_1);
                List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
                byte[] rest = new byte[all.length - end - 4];
                System.arraycopy(all, end + 4, rest, 0, rest.length);
                return new Head(lines, rest);
            }
        }
        return null;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private void respond(int status, String reason, String message) throws IOException {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        write(client, head.getBytes(StandardCharsets.US_ASCII));
        write(client, body);
    }

    private static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
    }

    /** A {@code host:port} as the client wrote it ({@code [v6]:port} too). */
    record HostPort(String host, int port) {
        static HostPort parse(String authority, int defaultPort) {
            String host;
            String portText;
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                if (close < 0) return null;
                host = authority.substring(1, close);
                portText = authority.length() > close + 1 && authority.charAt(close + 1) == ':'
                        ? authority.substring(close + 2) : null;
            } else {
                int colon = authority.lastIndexOf(':');
                host = colon < 0 ? authority : authority.substring(0, colon);
                portText = colon < 0 ? null : authority.substring(colon + 1);
            }
            int port = defaultPort;
            if (portText != null) {
                try {
                    port = Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (host.isEmpty() || port < 1 || port > 65535) return null;
            return new HostPort(host, port);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
