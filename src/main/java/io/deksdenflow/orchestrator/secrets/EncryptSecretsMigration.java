package io.deksdenflow.orchestrator.secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.stereotype.Component;

/**
 * Flyway migration 1.1 on both databases (Spring Boot hands JavaMigration beans to Flyway): creates
 * the key-check table with a value encrypted under the configured key, and encrypts every project's
 * plaintext {@code secrets} JSON in place. Rows already encrypted are left alone.
 */
@Component
public class EncryptSecretsMigration implements JavaMigration {
    static final String CHECK_PLAINTEXT = "deksdenflow secrets key check";

    private final SecretsCipher cipher;

    public EncryptSecretsMigration(SecretsCipher cipher) {
        this.cipher = cipher;
    }

    @Override
    public MigrationVersion getVersion() { return MigrationVersion.fromVersion("1.1"); }

    @Override
    public String getDescription() { return "encrypt project secrets"; }

    @Override
    public Integer getChecksum() { return null; }

    @Override
    public boolean canExecuteInTransaction() { return true; }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE secrets_key_check (id INTEGER PRIMARY KEY, check_value TEXT NOT NULL)");
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO secrets_key_check (id, check_value) VALUES (1, ?)")) {
            ins.setString(1, cipher.encrypt(CHECK_PLAINTEXT));
            ins.executeUpdate();
        }
        Map<Long, String> plaintext = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, secrets FROM projects ORDER BY id")) {
            while (rs.next()) {
                String secrets = rs.getString("secrets");
                if (secrets != null && !SecretsCipher.isCiphertext(secrets)) plaintext.put(rs.getLong("id"), secrets);
            }
        }
        try (PreparedStatement up = c.prepareStatement("UPDATE projects SET secrets = ? WHERE id = ?")) {
            for (Map.Entry<Long, String> row : plaintext.entrySet()) {
                up.setString(1, cipher.encrypt(row.getValue()));
                up.setLong(2, row.getKey());
                up.executeUpdate();
            }
        }
    }
}
