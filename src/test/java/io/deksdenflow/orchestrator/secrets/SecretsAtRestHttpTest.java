package io.deksdenflow.orchestrator.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.OrchestratorApplication;
import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.customize.CustomizeSettings;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The whole service without DEKSDENFLOW_SECRETS_KEY (SQLite here, PostgreSQL in the subclass): the key
 * file is generated with mode 0600 (beside the SQLite file, or in the workspace's parent), secrets registered through the API are ciphertext in the row and
 * plaintext to the service, and a start with another key fails naming DEKSDENFLOW_SECRETS_KEY.
 */
class SecretsAtRestHttpTest extends ApiTestBase {
    @Autowired WorkspaceSettings files;
    @Autowired DatabaseSettings database;
    @Autowired CustomizeSettings customize;
    @Autowired SecretsKey secretsKey;
    @Autowired ProjectStore projects;

    @Autowired DataSource dataSource;

    /** The column as stored, read with plain JDBC. */
    private String rawSecrets(long projectId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT secrets FROM projects WHERE id = ?")) {
            s.setLong(1, projectId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    @Test
    void theKeyFileIsGeneratedBesideTheDatabaseOwnerOnly() throws Exception {
        Path keyFile = database.sqliteFile().map(db -> db.resolveSibling(db.getFileName() + ".key"))
                .orElse(files.workspaceDir().getParent().resolve("secrets.key"));
        assertThat(secretsKey.keyFile()).contains(keyFile);
        assertThat(keyFile).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(java.util.Base64.getDecoder().decode(Files.readString(keyFile).trim())).hasSize(32);
        database.sqliteFile().ifPresent(db ->
                assertThat(database.sqliteFiles()).contains(db, db.resolveSibling(db.getFileName() + "-wal")));
    }

    @Test
    void secretsRegisteredThroughTheApiAreCiphertextInTheDatabase() throws Exception {
        JsonNode p = createProject(http(), Map.of("secrets", Map.of("GITHUB_TOKEN", "ghp_do_not_store_me", "webhook_token", "hook-s3cret")));
        long id = p.get("id").asLong();

        String raw = rawSecrets(id);
        assertThat(raw).startsWith("enc:v1:").doesNotContain("ghp_do_not_store_me").doesNotContain("hook-s3cret")
                .doesNotContain("GITHUB_TOKEN");
        assertThat(projects.get(id).secrets())
                .containsExactlyInAnyOrderEntriesOf(Map.of("GITHUB_TOKEN", "ghp_do_not_store_me", "webhook_token", "hook-s3cret"));
        JsonNode shown = http().get("/projects/" + id).json();
        assertThat(shown.get("secret_keys").toString()).contains("GITHUB_TOKEN", "webhook_token");
        assertThat(shown.toString()).doesNotContain("ghp_do_not_store_me").doesNotContain("enc:v1:");
    }

    @Test
    void startingOnThisDatabaseWithAnotherKeyFailsNamingTheVariable() {
        SpringApplicationBuilder other = new SpringApplicationBuilder(OrchestratorApplication.class);
        String[] args = {"--deksdenflow.db-path=" + database.dbPath(), "--deksdenflow.db-url=" + database.dbUrl(),
                "--deksdenflow.secrets-key=" + SecretsTesting.randomKey(), "--deksdenflow.role=api",
                "--deksdenflow.routes-dir=" + customize.routesDir(), "--deksdenflow.workspace=" + files.workspace(),
                "--server.port=0"};
        assertThatThrownBy(() -> other.run(args).close())
                .satisfies(e -> assertThat(messages(e)).anySatisfy(m -> assertThat(m)
                        .contains("wrong secrets key").contains("DEKSDENFLOW_SECRETS_KEY")));
    }

    private static List<String> messages(Throwable e) {
        List<String> out = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) out.add(String.valueOf(t.getMessage()));
        return out;
    }
}
