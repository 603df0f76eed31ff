package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The project's {@code intake}: set at registration or by PATCH, validated, stored and shown. */
class ProjectIntakeHttpTest extends ApiTestBase {

    @Test
    void setAtRegistrationShownAndChangedByPatch() {
        Http api = http();
        JsonNode created = createProject(api, Map.of("intake", Map.of("label", "deksdenflow", "auto_start", true,
                "checks", List.of(Map.of("name", "unit", "command", List.of("mvn", "test"))))));
        long id = created.path("id").asLong();
        JsonNode intake = api.get("/projects/" + id).json().path("intake");
        assertThat(intake.path("label").asText()).isEqualTo("deksdenflow");
        assertThat(intake.path("auto_start").asBoolean()).isTrue();
        assertThat(intake.path("engines").size()).isZero();
        assertThat(intake.path("checks").get(0).path("command").toString()).isEqualTo("[\"mvn\",\"test\"]");

        Http.Response r = api.patch("/projects/" + id, Map.of("intake", Map.of("label", "agents", "auto_start", false)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        intake = api.get("/projects/" + id).json().path("intake");
        assertThat(intake.path("label").asText()).isEqualTo("agents");
        assertThat(intake.path("auto_start").asBoolean()).isFalse();
        assertThat(intake.path("checks").isNull()).isTrue();
        JsonNode events = api.get("/events?project_id=" + id).json().path("items");
        assertThat(events.get(0).path("event_type").asText()).isEqualTo("project_updated");
        assertThat(events.get(0).path("metadata").path("fields").toString()).isEqualTo("[\"intake\"]");

        Map<String, Object> clear = new HashMap<>();
        clear.put("intake", null);
        assertThat(api.patch("/projects/" + id, clear).status()).isEqualTo(200);
        assertThat(api.get("/projects/" + id).json().path("intake").isNull()).isTrue();
        assertThat(createProject(api, Map.of()).path("intake").isNull()).isTrue();
    }

    @Test
    void badIntakesAre422NamingTheField() {
        Http api = http();
        Http.Response noLabel = api.post("/projects", Map.of("name", unique("intake"), "git_url", "file:///tmp/x.git",
                "intake", Map.of("auto_start", true)));
        assertThat(noLabel.status()).as(noLabel.body()).isEqualTo(422);
        assertThat(noLabel.json().path("error").path("field").asText()).isEqualTo("intake.label");

        long id = createProject(api, Map.of()).path("id").asLong();
        Http.Response longLabel = api.patch("/projects/" + id, Map.of("intake", Map.of("label", "l".repeat(51))));
        assertThat(longLabel.json().path("error").path("field").asText()).isEqualTo("intake.label");
        Http.Response engine = api.patch("/projects/" + id, Map.of("intake", Map.of("label", "x",
                "engines", Map.of("exec", "no-such-engine"))));
        assertThat(engine.json().path("error").path("field").asText()).isEqualTo("intake.engines.exec");
        Http.Response check = api.patch("/projects/" + id, Map.of("intake", Map.of("label", "x",
                "checks", List.of(Map.of("name", "x")))));
        assertThat(check.json().path("error").path("field").asText()).isEqualTo("intake.checks[0].command");
        Http.Response unknown = api.patch("/projects/" + id, Map.of("intake", Map.of("label", "x", "colour", "red")));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().path("error").path("field").asText()).isEqualTo("intake.colour");
        assertThat(api.get("/projects/" + id).json().path("intake").isNull()).isTrue();
    }

    @Test
    void theOpenApiDocumentShowsTheIntake() {
        JsonNode schemas = http().get("/openapi.json").json().path("components").path("schemas");
        assertThat(schemas.path("ProjectView").path("properties").has("intake")).isTrue();
        assertThat(schemas.path("CreateProject").path("properties").has("intake")).isTrue();
        assertThat(schemas.path("UpdateProject").path("properties").has("intake")).isTrue();
        assertThat(schemas.path("IntakeSpec").path("properties").has("auto_start")).isTrue();
    }
}
