package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** plan_approval over HTTP: on a project (create, PATCH), on a protocol (create), and the actions' bodies. */
class PlanApprovalHttpTest extends ApiTestBase {

    @Test
    void aProjectsPlanApprovalIsSetAtCreationAndByPatch() {
        Http http = http();
        JsonNode p = createProject(http, Map.of());
        long id = p.path("id").asLong();
        assertThat(p.path("plan_approval").asText()).isEqualTo("auto");
        assertThat(createProject(http, Map.of("plan_approval", "required")).path("plan_approval").asText()).isEqualTo("required");
        Http.Response bad = http.post("/projects", Map.of("name", unique("p"), "git_url", "file:///tmp/x.git", "plan_approval", "maybe"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().path("error").path("field").asText()).isEqualTo("plan_approval");

        Http.Response patched = http.patch("/projects/" + id, Map.of("plan_approval", "required"));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().path("project").path("plan_approval").asText()).isEqualTo("required");
        JsonNode event = http.get("/events?project_id=" + id + "&limit=10").json().path("items").get(0);
        assertThat(event.path("event_type").asText()).isEqualTo("project_updated");
        assertThat(event.path("metadata").path("fields").toString()).contains("plan_approval");
        assertThat(http.patch("/projects/" + id, Map.of("plan_approval", "never")).status()).isEqualTo(422);
        assertThat(http.get("/projects/" + id).json().path("plan_approval").asText()).isEqualTo("required");
        java.util.Map<String, Object> clear = new java.util.HashMap<>();
        clear.put("plan_approval", null);
        assertThat(http.patch("/projects/" + id, clear).json().path("project").path("plan_approval").asText()).isEqualTo("auto");
    }

    @Test
    void aProtocolsOwnPlanApprovalAndTheActionsOnAPendingProtocol() {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        Http.Response created = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", "0001-own", "plan_approval", "required"));
        assertThat(created.status()).isEqualTo(201);
        JsonNode p = created.json();
        assertThat(p.path("plan_approval").asText()).isEqualTo("required");
        assertThat(p.path("awaiting_plan_approval").asBoolean()).isFalse();
        assertThat(p.path("replans").asInt()).isZero();
        long id = p.path("id").asLong();
        // not awaiting approval: 409 naming the status; a bad body is refused first
        Http.Response approve = http.post("/protocols/" + id + "/actions/approve_plan", null);
        assertThat(approve.status()).isEqualTo(409);
        assertThat(approve.json().path("error").path("details").path("current_status").asText()).isEqualTo("pending");
        assertThat(http.post("/protocols/" + id + "/actions/reject_plan", Map.of("feedback", "x")).status()).isEqualTo(409);
        assertThat(http.post("/protocols/" + id + "/actions/reject_plan", Map.of("feedback", "")).status()).isEqualTo(422);
        assertThat(http.post("/protocols/" + id + "/actions/reject_plan", Map.of("reason", "x")).status()).isEqualTo(422);
        long stepId = http.post("/protocols/" + id + "/steps", Map.of("step_index", 0, "step_name", "00-a.md")).json().path("id").asLong();
        JsonNode step = http.get("/steps/" + stepId).json();
        assertThat(step.path("blocked_reason").isNull()).isTrue();
        assertThat(step.path("questions").size()).isZero();
        assertThat(http.post("/steps/" + stepId + "/actions/answer", Map.of("text", "hi")).status()).isEqualTo(409);
        assertThat(http.post("/steps/" + stepId + "/actions/answer", Map.of()).status()).isEqualTo(422);
    }
}
