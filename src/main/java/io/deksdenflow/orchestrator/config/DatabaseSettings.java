package io.deksdenflow.orchestrator.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The database: DEKSDENFLOW_DB_URL (PostgreSQL or any JDBC URL), else the SQLite file DEKSDENFLOW_DB_PATH. */
@ConfigurationProperties(prefix = "deksdenflow")
public record DatabaseSettings(
        @DefaultValue("") String dbUrl,
        @DefaultValue(".deksdenflow.sqlite") String dbPath,
        @DefaultValue("10") int dbPoolSize) {

    public DatabaseSettings {
        dbUrl = dbUrl == null ? "" : dbUrl;
        dbPath = dbPath == null ? "" : dbPath;
        SettingsChecks.atLeast("DEKSDENFLOW_DB_POOL_SIZE", dbPoolSize, 1);
    }

    public static DatabaseSettings defaults() { return SettingsBinding.defaults(DatabaseSettings.class); }

    public DatabaseSettings withDbUrl(String v) { return new DatabaseSettings(v, dbPath, dbPoolSize); }

    public DatabaseSettings withDbPath(String v) { return new DatabaseSettings(dbUrl, v, dbPoolSize); }

    public DatabaseUrls urls() { return DatabaseUrls.from(dbUrl, dbPath); }

    /** The SQLite database file when no DEKSDENFLOW_DB_URL names another database. */
    public Optional<Path> sqliteFile() { return urls().sqliteFile(); }

    /** The SQLite file with its sidecars (-wal, -shm, -journal); empty on PostgreSQL. */
    public List<Path> sqliteFiles() {
        return sqliteFile().map(f -> Stream.of("", "-wal", "-shm", "-journal")
                .map(suffix -> f.resolveSibling(f.getFileName() + suffix)).toList()).orElse(List.of());
    }
}
