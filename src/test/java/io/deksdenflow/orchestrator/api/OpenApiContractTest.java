package io.deksdenflow.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.protocol.ProtocolAction;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.OpenApiResponses;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The OpenAPI document is the contract: every operation documents its success answer with a schema,
 * its request body (when it takes one) and its error answers with the error body schema; and every
 * user action of the protocol and step enums has its own route.
 */
class OpenApiContractTest extends ApiTestBase {
    private static final Set<String> PUBLIC = Set.of("/health", "/metrics");

    @Autowired
    CamelContext camel;

    @Test
    void everyOperationDocumentsItsBodiesAndErrors() {
        JsonNode doc = http().get("/openapi.json").json();
        JsonNode schemas = doc.path("components").path("schemas");
        List<String> checked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> e = ops.next();
                String name = e.getKey().toUpperCase() + " " + path.getKey();
                JsonNode op = e.getValue();
                JsonNode responses = op.path("responses");
                String success = responses.has("201") ? "201" : responses.has("202") ? "202" : "200";
                assertThat(responses.has(success)).as(name + " success answer").isTrue();
                if (path.getKey().equals("/metrics")) {
                    checked.add(name);
                    continue; // the Prometheus text exposition, not JSON
                }
                assertThat(responses.fieldNames()).toIterable().as(name + " answers").doesNotContain(
                        success.equals("200") ? "201" : "200");
                assertThat(schemaRef(responses.path(success), schemas)).as(name + " success schema").isNotNull();
                boolean post = e.getKey().equals("post");
                boolean hasId = path.getKey().contains("{id}");
                List<String> errors = new ArrayList<>(List.of("500"));
                if (!PUBLIC.contains(path.getKey())) errors.add("401");
                if (post) errors.addAll(List.of("400", "409", "413", "422"));
                if (hasId || path.getKey().equals("/events")) errors.add("404");
                if (op.path("parameters").findValuesAsText("name").contains("limit")) errors.add("422");
                if (path.getKey().equals("/health")) errors.add("503");
                for (String code : errors) {
                    assertThat(responses.has(code)).as(name + " documents " + code).isTrue();
                    String ref = schemaRef(responses.path(code), schemas);
                    assertThat(ref).as(name + " " + code + " schema").isNotNull();
                    if (!code.equals("503")) assertThat(ref).as(name + " " + code).isEqualTo("ErrorBody");
                }
                boolean takesBody = post && (path.getKey().endsWith("/raise_budget") || !path.getKey().contains("/actions/"));
                if (takesBody) {
                    JsonNode body = op.path("requestBody").path("content").path("application/json");
                    assertThat(schemaRef(body, schemas)).as(name + " request body schema").isNotNull();
                }
                checked.add(name);
            }
        }
        assertThat(checked).contains("POST /projects", "POST /projects/{id}/protocols", "POST /protocols/{id}/steps",
                "POST /protocols/{id}/actions/raise_budget", "GET /projects", "GET /events", "GET /health");
        // the error body and the snake_case names of the records
        assertThat(schemas.path("ErrorBody").path("properties").has("error")).isTrue();
        JsonNode detail = schemas.path(schemaRef(schemas.path("ErrorBody").path("properties").path("error"), schemas));
        assertThat(detail.path("properties").fieldNames()).toIterable()
                .contains("code", "message", "request_id", "field", "details");
        assertThat(schemas.path("CreateProject").path("properties").has("git_url")).isTrue();
        assertThat(schemas.path("ProtocolView").path("properties").has("allowed_actions")).isTrue();
        assertThat(schemas.path("StepView").path("properties").has("allowed_actions")).isTrue();
    }

    @Test
    void theDocumentNamesNoJavaClass() {
        Http.Response r = http().get("/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("x-className", "java.lang.", "io.deksdenflow.");
        JsonNode doc = r.json();
        // still the whole document: the schemas and their references are intact
        assertThat(doc.path("components").path("schemas").has("ErrorBody")).isTrue();
        assertThat(doc.path("components").path("schemas").has("ProjectView")).isTrue();
        assertThat(doc.path("paths").has("/projects")).isTrue();
        assertThat(doc.findValues("x-className")).isEmpty();
    }

    @Test
    void everyUserActionHasItsOwnRouteAndPath() {
        List<String> expected = new ArrayList<>(List.of("project-setup"));
        JsonNode paths = http().get("/openapi.json").json().path("paths");
        for (ProtocolAction a : ProtocolAction.values()) {
            if (!a.userFacing()) continue;
            expected.add("protocol-" + a.api().replace('_', '-'));
            assertThat(paths.has("/protocols/{id}/actions/" + a.api())).as(a.api()).isTrue();
        }
        for (StepAction a : StepAction.values()) {
            if (!a.userFacing()) continue;
            expected.add("step-" + a.api().replace('_', '-'));
            assertThat(paths.has("/steps/{id}/actions/" + a.api())).as(a.api()).isTrue();
        }
        assertThat(expected).contains("protocol-start", "protocol-pause", "protocol-resume", "protocol-cancel",
                "protocol-run-next-step", "protocol-retry-latest", "protocol-open-pr", "protocol-raise-budget",
                "step-run", "step-run-qa", "step-approve", "project-setup");
        for (String id : expected) {
            assertThat(camel.getRoute(id)).as("route " + id).isNotNull();
        }
        // and they are listed by GET /routes
        List<String> listed = http().get("/routes").json().path("items").findValuesAsText("route_id");
        assertThat(listed).containsAll(expected);
        // a system event is no action path: the JSON 404 of an unknown route
        Http.Response r = http().post("/protocols/1/actions/" + ProtocolAction.PLAN_DONE.api(), null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(http().post("/steps/1/actions/exec_done", null).status()).isEqualTo(404);
    }

    /**
     * Real requests across the API, each answer validated against the schema {@code /openapi.json}
     * declares for its path, method and status: successes, lists, actions, and the error bodies of
     * 400, 404, 409 and 422. Every drift is collected, then reported at once.
     */
    @Test
    void liveResponsesMatchTheirDocumentedSchemas() {
        Http http = http();
        OpenApiResponses contract = OpenApiResponses.of(http);
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        Live live = new Live(http, contract, problems, seen);

        live.get("/health", 200);
        JsonNode project = live.post("/projects", Map.of("name", unique("contract"), "git_url", "file:///tmp/c.git",
                "ci_provider", "github", "secrets", Map.of("GITHUB_TOKEN", "t")), 201);
        long projectId = project.path("id").asLong();
        live.post("/projects", Map.of("name", unique("locked"), "git_url", "file:///tmp/l.git",
                "project_token", "tok-contract-123456"), 201);
        long notified = live.post("/projects", Map.of("name", unique("notify"), "git_url", "file:///tmp/n.git",
                "notifications", List.of(Map.of("type", "webhook", "url", "https://93.184.215.14/hook",
                        "secret", "0123456789abcdef-contract", "events", List.of("needs_input", "protocol_failed")),
                        Map.of("type", "slack", "webhook_url", "https://93.184.215.14/slack", "events", List.of("ci_failed")))),
                201).path("id").asLong();
        live.get("/projects/" + notified, 200);
        live.get("/projects/" + notified + "/notifications/deliveries?limit=5", 200);
        live.get("/projects/999999999/notifications/deliveries", 404);
        live.post("/projects", Map.of("name", unique("ssrf"), "git_url", "file:///tmp/s.git", "notifications",
                List.of(Map.of("type", "slack", "webhook_url", "http://127.0.0.1/x", "events", List.of("ci_failed")))), 422);
        live.get("/projects?limit=500", 200);
        live.get("/projects/" + projectId, 200);
        live.post("/projects/" + projectId + "/actions/setup", null, 202);
        long protocolId = live.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", "0001-contract"), 201).path("id").asLong();
        live.get("/projects/" + projectId + "/protocols", 200);
        live.get("/protocols/" + protocolId, 200);
        long stepId = live.post("/protocols/" + protocolId + "/steps",
                Map.of("step_index", 0, "step_name", "00-setup.md", "step_type", "setup"), 201).path("id").asLong();
        live.get("/protocols/" + protocolId + "/steps", 200);
        live.get("/steps/" + stepId, 200);
        live.get("/steps/" + stepId + "/runs", 200);
        live.post("/protocols/" + protocolId + "/actions/start", null, 202);
        live.post("/protocols/" + protocolId + "/actions/start", null, 409);
        live.post("/steps/" + stepId + "/actions/approve", null, 409);
        live.post("/protocols/" + protocolId + "/actions/pause", null, 202);
        live.get("/protocols/" + protocolId + "/events?limit=2", 200);
        live.get("/events?project_id=" + projectId, 200);
        live.get("/events", 200);
        live.get("/queues", 200);
        live.get("/queues/jobs?status=queued", 200);
        live.get("/routes", 200);
        // error bodies
        live.get("/projects/999999999", 404);
        live.get("/protocols/999999999", 404);
        live.get("/runs/999999999/log", 404);
        live.post("/projects", Map.of("name", "no-url"), 422);
        live.post("/projects", "{not json", 400);
        live.get("/projects?limit=0", 422);
        live.post("/protocols/" + protocolId + "/steps", Map.of("step_index", "zero", "step_name", "x"), 422);

        assertThat(problems).as("responses that drift from /openapi.json").isEmpty();
        assertThat(seen).as("statuses exercised").contains("200", "201", "202", "400", "404", "409", "422");
    }

    /** Sends a request, checks its status, validates its answer and collects what drifts. */
    private record Live(Http http, OpenApiResponses contract, List<String> problems, List<String> seen) {
        JsonNode get(String path, int status) {
            return checked("get", path, http.get(path), status);
        }

        JsonNode post(String path, Object body, int status) {
            return checked("post", path, http.post(path, body), status);
        }

        private JsonNode checked(String method, String path, Http.Response r, int status) {
            assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
            seen.add(String.valueOf(r.status()));
            problems.addAll(contract.problems(method, path, r.status(), r.body()));
            return r.json();
        }
    }

    /** The schema name an answer or body refers to ({@code content.application/json.schema.$ref}), if it exists. */
    private static String schemaRef(JsonNode node, JsonNode schemas) {
        JsonNode schema = node.has("content") ? node.path("content").path("application/json").path("schema")
                : node.has("schema") ? node.path("schema") : node;
        String ref = schema.path("$ref").asText(null);
        if (ref == null) return null;
        String name = ref.substring(ref.lastIndexOf('/') + 1);
        return schemas.has(name) ? name : null;
    }
}
