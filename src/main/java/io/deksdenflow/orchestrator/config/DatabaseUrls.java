package io.deksdenflow.orchestrator.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns DEKSDENFLOW_DB_URL / DEKSDENFLOW_DB_PATH into a JDBC URL and credentials. Accepts the
 * seed's {@code postgresql://user:pass@host:port/db} form and plain {@code jdbc:} URLs; without a
 * URL the embedded SQLite file is used, in WAL mode with a busy timeout and immediate write
 * transactions so several processes on one machine can share it.
 */
public record DatabaseUrls(String jdbcUrl, String username, String password) {

    public static DatabaseUrls from(String dbUrl, String dbPath) {
        if (dbUrl == null || dbUrl.isBlank()) {
            return sqlite(Path.of(dbPath == null || dbPath.isBlank() ? ".deksdenflow.sqlite" : dbPath));
        }
        String url = dbUrl.trim();
        if (url.startsWith("jdbc:")) {
            return new DatabaseUrls(url, null, null);
        }
        if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
            URI uri = URI.create(url);
            String user = null;
            String pass = null;
            if (uri.getRawUserInfo() != null) {
                String[] parts = uri.getRawUserInfo().split(":", 2);
                user = decode(parts[0]);
                pass = parts.length > 1 ? decode(parts[1]) : null;
            }
            String host = uri.getHost() == null ? "localhost" : uri.getHost();
            int port = uri.getPort() < 0 ? 5432 : uri.getPort();
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            return new DatabaseUrls("jdbc:postgresql://" + host + ":" + port + uri.getRawPath() + query, user, pass);
        }
        if (url.startsWith("sqlite:")) {
            return sqlite(Path.of(url.substring("sqlite:".length()).replaceFirst("^//", "")));
        }
        throw new IllegalArgumentException("DEKSDENFLOW_DB_URL must be postgresql://user:pass@host:port/db or a jdbc: URL");
    }

    static DatabaseUrls sqlite(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return new DatabaseUrls("jdbc:sqlite:" + abs
                + "?journal_mode=WAL&busy_timeout=15000&foreign_keys=true&synchronous=NORMAL&transaction_mode=IMMEDIATE",
                null, null);
    }

    public boolean isSqlite() { return jdbcUrl.startsWith("jdbc:sqlite:"); }

    /** The SQLite database file (absolute), or empty for another database or an in-memory SQLite. */
    public Optional<Path> sqliteFile() {
        if (!isSqlite()) return Optional.empty();
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) rest = rest.substring(0, q);
        if (rest.startsWith("file:")) rest = rest.substring("file:".length());
        if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith(":resource:")) return Optional.empty();
        return Optional.of(Path.of(rest).toAbsolutePath().normalize());
    }

    /** The URL without credentials, for log lines. */
    public String redacted() {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
