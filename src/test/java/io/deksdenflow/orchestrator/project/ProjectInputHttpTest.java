package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Registration input that agents or a hostile client could abuse: git_url and model names, over HTTP. */
class ProjectInputHttpTest extends ApiTestBase {
    @Autowired WorkspaceSettings files;
    @Autowired DatabaseSettings database;

    private Http.Response register(Map<String, Object> fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", unique("input"));
        body.put("git_url", "https://github.com/acme/demo.git");
        body.putAll(fields);
        return http().post("/projects", body);
    }

    private void assertRefused(Http.Response r, String field, String messagePart) {
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("error").path("field").asText()).isEqualTo(field);
        assertThat(r.json().path("error").path("message").asText()).contains(messagePart);
    }

    @Test
    void gitUrlsIntoTheServicesOwnFilesAreRefused() throws Exception {
        Path workspace = Files.createDirectories(files.workspaceDir().resolve("projects/1/repo"));
        Path dbDir = database.sqliteFile().orElseThrow().getParent();
        assertRefused(register(Map.of("git_url", "file://" + workspace)), "git_url", "workspace");
        assertRefused(register(Map.of("git_url", workspace.toString())), "git_url", "workspace");
        assertRefused(register(Map.of("git_url", "file://" + dbDir)), "git_url", "database");
        Path link = Files.createSymbolicLink(Files.createTempDirectory("elsewhere").resolve("innocent.git"), dbDir);
        assertRefused(register(Map.of("git_url", "file://" + link)), "git_url", "database");

        Path outside = Files.createTempDirectory("origin-outside");
        assertThat(register(Map.of("git_url", "file://" + outside)).status()).isEqualTo(201);
    }

    @Test
    void optionLikeAndOverlongGitUrlsAreRefused() {
        assertRefused(register(Map.of("git_url", "ssh://-oProxyCommand=x/y")), "git_url", "host");
        assertRefused(register(Map.of("git_url", "-u@host:repo")), "git_url", "'-'");
        assertRefused(register(Map.of("git_url", "https://example.com/" + "a".repeat(2048))), "git_url", "2048");
    }

    @Test
    void modelNamesMustBePlainNames() {
        assertRefused(register(Map.of("default_models", Map.of("exec", "--dangerously-skip-permissions"))),
                "default_models.exec", "must match");
        assertRefused(register(Map.of("default_models", Map.of("qa", "gpt 5; rm -rf /"))), "default_models.qa", "must match");
        assertRefused(register(Map.of("default_models", Map.of("planning", "m".repeat(101)))), "default_models.planning", "must match");
        assertRefused(register(Map.of("default_models", Map.of("planning", "{prompt_file}"))), "default_models.planning", "must match");

        Http.Response ok = register(Map.of("default_models",
                Map.of("planning", "gpt-5", "exec", "claude-sonnet-4-5@20250929", "qa", "org/model:tag+v1.2_x")));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().path("default_models").path("exec").asText()).isEqualTo("claude-sonnet-4-5@20250929");
        assertThat(ok.json().path("default_models").path("qa").asText()).isEqualTo("org/model:tag+v1.2_x");
    }

    @Test
    void agentEgressEntriesAreValidatedAndKept() {
        assertRefused(register(Map.of("agent_egress", List.of("http://registry.npmjs.org"))), "agent_egress",
                "http://registry.npmjs.org");
        assertRefused(register(Map.of("agent_egress", List.of("127.0.0.1"))), "agent_egress", "without a port");
        assertRefused(register(Map.of("agent_egress", List.of("host:99999"))), "agent_egress", "port");
        assertRefused(register(Map.of("agent_egress", List.of("a b; rm -rf /"))), "agent_egress", "not a host");

        Http.Response ok = register(Map.of("agent_egress", List.of("Registry.NPMJS.org", "*.pypi.org", "127.0.0.1:11434")));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().path("agent_egress").toString())
                .isEqualTo("[\"registry.npmjs.org\",\"*.pypi.org\",\"127.0.0.1:11434\"]");
        long id = ok.json().path("id").asLong();
        assertThat(http().get("/projects/" + id).json().path("agent_egress").size()).isEqualTo(3);
        assertThat(register(Map.of()).json().path("agent_egress").isNull()).isTrue();
    }
}
