package io.deksdenflow.orchestrator.queue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * DEKSDENFLOW_REDIS_URL parsed: {@code redis://[user:pass@]host:port[/db]}, {@code rediss://}
 * (TLS), or unset / {@code fakeredis://} / {@code embedded://} for the in-process server.
 */
record RedisUrl(boolean embedded, boolean ssl, String host, int port, int database,
                       String username, String password) {

    public static RedisUrl parse(String raw) {
        if (raw == null || raw.isBlank() || raw.startsWith("fakeredis:") || raw.startsWith("embedded:")) {
            return new RedisUrl(true, false, "127.0.0.1", 0, 0, null, null);
        }
        URI uri = URI.create(raw.trim());
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("DEKSDENFLOW_REDIS_URL must start with redis://, rediss://, "
                    + "fakeredis:// or embedded://, got " + redact(raw));
        }
        String user = null;
        String pass = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            if (parts.length == 2) {
                user = parts[0].isEmpty() ? null : decode(parts[0]);
                pass = decode(parts[1]);
            } else {
                pass = decode(parts[0]);
            }
        }
        int db = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            db = Integer.parseInt(path.substring(1));
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 6379;
        return new RedisUrl(false, "rediss".equals(scheme), uri.getHost(), port, db, user, pass);
    }

    public RedisUrl withPort(int newPort) {
        return new RedisUrl(embedded, ssl, host, newPort, database, username, password);
    }

    public RedisUrl withPassword(String newPassword) {
        return new RedisUrl(embedded, ssl, host, port, database, username, newPassword);
    }

    /** The URL with the password replaced by {@code ***}; safe to log. */
    public String redacted() {
        String auth = password == null ? "" : (username == null ? "" : username) + ":***@";
        return (ssl ? "rediss" : "redis") + "://" + auth + host + ":" + port + "/" + database;
    }

    /** Never the password, whoever prints this record. */
    @Override
    public String toString() { return redacted(); }

    public String describe() {
        return embedded ? "embedded Redis on " + redacted() : "Redis at " + redacted();
    }

    static String redact(String raw) {
        return raw.replaceAll("//([^:@/]*):[^@/]*@", "//$1:***@").replaceAll("//([^:@/]+)@", "//***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
