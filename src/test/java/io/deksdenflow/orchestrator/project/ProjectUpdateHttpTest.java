package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** {@code PATCH /projects/{id}}: settings change after registration, validated, recorded, guarded. */
@TestPropertySource(properties = {"deksdenflow.api-token=test-api-token-0123456789", "deksdenflow.git-local=true"})
class ProjectUpdateHttpTest extends ApiTestBase {
    private static final String BEARER = "Bearer test-api-token-0123456789";
    @Autowired ProjectStore projects;

    private Http api() {
        return http().header("Authorization", BEARER);
    }

    private List<JsonNode> events(Http http, long projectId, String type) {
        List<JsonNode> out = new ArrayList<>();
        http.get("/events?project_id=" + projectId + "&limit=500").json().path("items").forEach(e -> {
            if (e.path("event_type").asText().equals(type)) out.add(e);
        });
        return out;
    }

    @Test
    void givenFieldsChangeAndTheEventNamesThemWithoutSecretValues() {
        Http api = api();
        JsonNode created = createProject(api, Map.of("secrets", Map.of("KEEP", "keep-value-1", "DROP", "drop-value-2"),
                "agent_egress", List.of("registry.npmjs.org")));
        long id = created.path("id").asLong();

        Map<String, Object> secrets = new HashMap<>();
        secrets.put("NEW_KEY", "s3cr3t-patch-value");
        secrets.put("DROP", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("base_branch", "develop");
        body.put("budget", Map.of("max_tokens_per_step", 1000));
        body.put("checks", List.of(Map.of("name", "unit", "command", "mvn -q test")));
        body.put("default_models", Map.of("exec", "gpt-5"));
        body.put("secrets", secrets);
        body.put("agent_egress", null);
        Http.Response r = api.patch("/projects/" + id, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("project").path("base_branch").asText()).isEqualTo("develop");

        JsonNode shown = api.get("/projects/" + id).json();
        assertThat(shown.path("base_branch").asText()).isEqualTo("develop");
        assertThat(shown.path("budget").path("max_tokens_per_step").asLong()).isEqualTo(1000);
        assertThat(shown.path("checks").get(0).path("command").toString()).isEqualTo("[\"mvn\",\"-q\",\"test\"]");
        assertThat(shown.path("default_models").path("exec").asText()).isEqualTo("gpt-5");
        assertThat(shown.path("agent_egress").isNull()).isTrue();
        assertThat(shown.path("secret_keys").toString()).contains("KEEP", "NEW_KEY").doesNotContain("DROP");
        Project stored = projects.get(id);
        assertThat(stored.secrets()).containsEntry("KEEP", "keep-value-1").containsEntry("NEW_KEY", "s3cr3t-patch-value")
                .doesNotContainKey("DROP");

        List<JsonNode> updated = events(api, id, "project_updated");
        assertThat(updated).hasSize(1);
        JsonNode event = updated.get(0);
        assertThat(event.path("metadata").path("fields").toString()).isEqualTo(
                "[\"base_branch\",\"default_models\",\"secrets\",\"checks\",\"budget\",\"agent_egress\"]");
        assertThat(event.path("metadata").path("secret_keys").toString()).isEqualTo("[\"DROP\",\"NEW_KEY\"]");
        assertThat(event.toString()).doesNotContain("s3cr3t-patch-value", "keep-value-1", "drop-value-2");

        // the same values again change nothing and record nothing
        Http.Response again = api.patch("/projects/" + id, Map.of("base_branch", "develop"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("message").asText()).isEqualTo("nothing changed");
        assertThat(events(api, id, "project_updated")).hasSize(1);
    }

    @Test
    void unknownFieldsAndBadValuesAre422AndChangeNothing() {
        Http api = api();
        long id = createProject(api, Map.of("base_branch", "main")).path("id").asLong();
        JsonNode before = api.get("/projects/" + id).json();

        Http.Response unknown = api.patch("/projects/" + id, Map.of("base_branch", "next", "git_url", "file:///elsewhere"));
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(422);
        assertThat(unknown.json().path("error").path("field").asText()).isEqualTo("git_url");
        assertThat(api.patch("/projects/" + id, Map.of("name", "renamed")).json().path("error").path("field").asText())
                .isEqualTo("name");

        Http.Response badCheck = api.patch("/projects/" + id, Map.of("base_branch", "next",
                "checks", List.of(Map.of("name", "x"))));
        assertThat(badCheck.status()).as(badCheck.body()).isEqualTo(422);
        assertThat(badCheck.json().path("error").path("field").asText()).isEqualTo("checks[0].command");
        Http.Response badBudget = api.patch("/projects/" + id, Map.of("budget", Map.of("max_cost_usd_per_step", -1)));
        assertThat(badBudget.json().path("error").path("field").asText()).isEqualTo("budget.max_cost_usd_per_step");
        Http.Response badEngine = api.patch("/projects/" + id, Map.of("default_engines", Map.of("exec", "no-such-engine")));
        assertThat(badEngine.json().path("error").path("field").asText()).isEqualTo("default_engines.exec");
        Map<String, Object> clearBase = new HashMap<>();
        clearBase.put("base_branch", null);
        assertThat(api.patch("/projects/" + id, clearBase).json().path("error").path("field").asText()).isEqualTo("base_branch");
        Http.Response badSecret = api.patch("/projects/" + id, Map.of("secrets", Map.of("bad key", "v")));
        assertThat(badSecret.json().path("error").path("field").asText()).isEqualTo("secrets");
        Http.Response wrongType = api.patch("/projects/" + id, Map.of("budget", "lots"));
        assertThat(wrongType.status()).as(wrongType.body()).isEqualTo(422);
        assertThat(wrongType.json().path("error").path("field").asText()).isEqualTo("budget");
        assertThat(api.patch("/projects/" + id, "[1]").status()).isEqualTo(400);
        assertThat(api.patch("/projects/" + id, "{nope").status()).isEqualTo(400);

        JsonNode after = api.get("/projects/" + id).json();
        assertThat(after).isEqualTo(before);
        assertThat(events(api, id, "project_updated")).isEmpty();
    }

    @Test
    void guardedLikeEveryProjectRoute() {
        Http api = api();
        long locked = createProject(api, Map.of("project_token", "token-of-locked-project")).path("id").asLong();
        Map<String, Object> body = Map.of("base_branch", "next");

        assertThat(http().patch("/projects/" + locked, body).status()).isEqualTo(401);
        assertThat(api.patch("/projects/" + locked, body).status()).isEqualTo(401);
        assertThat(api.header("X-Project-Token", "some-other-token").patch("/projects/" + locked, body).status())
                .isEqualTo(401);
        assertThat(api.patch("/projects/999999", body).status()).isEqualTo(404);
        assertThat(api.patch("/projects/abc", body).status()).isEqualTo(404);
        assertThat(projects.get(locked).baseBranch()).isEqualTo("main");

        Http.Response ok = api.header("X-Project-Token", "token-of-locked-project").patch("/projects/" + locked, body);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(projects.get(locked).baseBranch()).isEqualTo("next");
    }

    @Test
    void theOpenApiDocumentShowsThePatch() {
        JsonNode doc = api().get("/openapi.json").json();
        JsonNode patch = doc.path("paths").path("/projects/{id}").path("patch");
        assertThat(patch.isMissingNode()).as(doc.path("paths").path("/projects/{id}").toString()).isFalse();
        assertThat(patch.path("requestBody").toString()).contains("UpdateProject");
        assertThat(doc.path("components").path("schemas").path("UpdateProject").path("properties").has("secrets")).isTrue();
    }
}
