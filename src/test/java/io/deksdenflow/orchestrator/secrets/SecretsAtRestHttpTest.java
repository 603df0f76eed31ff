package io.deksdenflow.orchestrator.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.OrchestratorApplication;
import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.store.ProjectStore;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The whole service on SQLite without DEKSDENFLOW_SECRETS_KEY: the key file is generated beside the
 * database with mode 0600, secrets registered through the API are ciphertext in the row and
 * plaintext to the service, and a start with another key fails naming DEKSDENFLOW_SECRETS_KEY.
 */
class SecretsAtRestHttpTest extends ApiTestBase {
    @Autowired Settings settings;
    @Autowired SecretsKey secretsKey;
    @Autowired ProjectStore projects;

    private String rawSecrets(long projectId) throws Exception {
        Path db = settings.sqliteFile().orElseThrow();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
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
        Path db = settings.sqliteFile().orElseThrow();
        Path keyFile = db.resolveSibling(db.getFileName() + ".key");
        assertThat(secretsKey.keyFile()).contains(keyFile);
        assertThat(keyFile).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(java.util.Base64.getDecoder().decode(Files.readString(keyFile).trim())).hasSize(32);
        assertThat(settings.sqliteFiles()).contains(db, db.resolveSibling(db.getFileName() + "-wal"));
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
        String db = settings.sqliteFile().orElseThrow().toString();
        SpringApplicationBuilder other = new SpringApplicationBuilder(OrchestratorApplication.class);
        String[] args = {"--deksdenflow.db-path=" + db, "--deksdenflow.secrets-key=" + SecretsTesting.randomKey(),
                "--deksdenflow.role=api", "--deksdenflow.routes-dir=" + db + ".no-routes",
                "--deksdenflow.workspace=" + db + ".workspace", "--server.port=0"};
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
