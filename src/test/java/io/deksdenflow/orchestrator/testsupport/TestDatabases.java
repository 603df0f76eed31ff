package io.deksdenflow.orchestrator.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Databases for tests: a fresh SQLite file, or a fresh schema on the PostgreSQL server named by
 * DEKSDENFLOW_TEST_DB_URL (CI sets it; without it the PostgreSQL tests are skipped).
 */
public final class TestDatabases {
    private TestDatabases() {}

    public static String sqlitePath() {
        try {
            Path dir = Files.createTempDirectory("dfo-db");
            return dir.resolve("test.sqlite").toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String postgresUrl() {
        return System.getenv("DEKSDENFLOW_TEST_DB_URL");
    }

    /** A jdbc URL of a brand-new database on the test PostgreSQL server. */
    public static String freshPostgresDatabase() {
        String url = postgresUrl();
        var creds = io.deksdenflow.orchestrator.config.DatabaseUrls.from(url, null);
        String jdbc = creds.jdbcUrl();
        String name = "dfo_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(jdbc, creds.username(), creds.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + jdbc + ": " + e.getMessage(), e);
        }
        int slash = jdbc.lastIndexOf('/');
        int q = jdbc.indexOf('?', slash);
        String newJdbc = jdbc.substring(0, slash + 1) + name + (q < 0 ? "" : jdbc.substring(q));
        StringBuilder sb = new StringBuilder(newJdbc);
        if (creds.username() != null) {
            sb.append(newJdbc.contains("?") ? "&" : "?").append("user=").append(creds.username());
            if (creds.password() != null) sb.append("&password=").append(creds.password());
        }
        return sb.toString();
    }
}
