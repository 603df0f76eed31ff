package io.deksdenflow.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every endpoint over real HTTP, and each error code the API promises. */
class ApiHttpTest extends ApiTestBase {

    @Test
    void healthReportsTheDatabase() {
        Http.Response r = http().get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("ok");
        assertThat(r.json().path("checks").path("database").asText()).isEqualTo("ok");
    }

    @Test
    void projectLifecycleNeverShowsSecrets() {
        Http http = http();
        JsonNode p = createProject(http, Map.of("secrets", Map.of("GITHUB_TOKEN", "ghp-very-secret-value"),
                "project_token", "tok-1234567890", "ci_provider", "github",
                "default_models", Map.of("planning", "gpt-x", "exec", "gpt-y")));
        assertThat(p.path("status").asText()).isEqualTo("pending");
        assertThat(p.path("base_branch").asText()).isEqualTo("main");
        assertThat(p.path("secret_keys").toString()).isEqualTo("[\"GITHUB_TOKEN\"]");
        assertThat(p.path("has_project_token").asBoolean()).isTrue();
        assertThat(p.has("secrets")).isFalse();
        assertThat(p.path("job").path("job_type").asText()).isEqualTo("project_setup_job");
        assertThat(p.path("created_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        long id = p.path("id").asLong();

        Http.Response list = http.get("/projects?limit=500");
        assertThat(list.status()).isEqualTo(200);
        Http.Response one = http.header("X-Project-Token", "tok-1234567890").get("/projects/" + id);
        assertThat(one.status()).isEqualTo(200);
        for (Http.Response r : List.of(list, one)) {
            assertThat(r.body()).doesNotContain("ghp-very-secret-value").doesNotContain("tok-1234567890");
        }
        Http.Response events = http.header("X-Project-Token", "tok-1234567890").get("/events?project_id=" + id);
        assertThat(events.body()).doesNotContain("ghp-very-secret-value");
        assertThat(events.json().path("items").get(0).path("event_type").asText()).isEqualTo("project_created");
    }

    @Test
    void protocolAndStepEndpoints() {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        JsonNode proto = createProtocol(http, projectId, "0001-add-login");
        long id = proto.path("id").asLong();
        assertThat(proto.path("status").asText()).isEqualTo("pending");
        assertThat(proto.path("allowed_actions").toString()).isEqualTo("[\"start\",\"cancel\"]");

        assertThat(http.get("/protocols/" + id).json().path("protocol_name").asText()).isEqualTo("0001-add-login");
        assertThat(http.get("/projects/" + projectId + "/protocols").json().path("items").size()).isEqualTo(1);

        Http.Response step = http.post("/protocols/" + id + "/steps",
                Map.of("step_index", 0, "step_name", "00-setup.md", "step_type", "setup"));
        assertThat(step.status()).isEqualTo(201);
        long stepId = step.json().path("id").asLong();
        assertThat(step.json().path("status").asText()).isEqualTo("pending");
        // a pending protocol takes no step work yet
        assertThat(step.json().path("allowed_actions").size()).isZero();
        assertThat(http.get("/protocols/" + id + "/steps").json().path("items").size()).isEqualTo(1);
        assertThat(http.get("/steps/" + stepId).json().path("step_name").asText()).isEqualTo("00-setup.md");
        assertThat(http.get("/steps/" + stepId + "/runs").json().path("items").size()).isZero();

        Http.Response start = http.post("/protocols/" + id + "/actions/start", null);
        assertThat(start.status()).isEqualTo(202);
        assertThat(start.json().path("protocol").path("status").asText()).isEqualTo("planning");
        assertThat(start.json().path("job").path("job_type").asText()).isEqualTo("plan_protocol_job");
        assertThat(start.json().path("job").path("job_id").asText()).isNotBlank();

        Http.Response again = http.post("/protocols/" + id + "/actions/start", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").path("details").path("current_status").asText()).isEqualTo("planning");
        assertThat(again.json().path("error").path("details").path("allowed_actions").toString())
                .isEqualTo("[\"pause\",\"cancel\"]");

        // pause, then start resumes (never re-plans): back to planning with a new plan job
        assertThat(http.post("/protocols/" + id + "/actions/pause", null).json().path("protocol").path("status").asText())
                .isEqualTo("paused");
        Http.Response resumed = http.post("/protocols/" + id + "/actions/start", null);
        assertThat(resumed.json().path("protocol").path("status").asText()).isEqualTo("planning");
        assertThat(resumed.json().path("protocol").path("paused_from").isNull()).isTrue();

        Http.Response cancel = http.post("/protocols/" + id + "/actions/cancel", null);
        assertThat(cancel.json().path("protocol").path("status").asText()).isEqualTo("cancelled");
        assertThat(http.get("/steps/" + stepId).json().path("status").asText()).isEqualTo("cancelled");
        for (String action : List.of("start", "resume", "run_next_step", "retry_latest", "pause", "cancel")) {
            Http.Response r = http.post("/protocols/" + id + "/actions/" + action, null);
            assertThat(r.status()).as(action).isEqualTo(409);
        }

        JsonNode events = http.get("/protocols/" + id + "/events?limit=500").json().path("items");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.path("event_type").asText()));
        assertThat(types).containsExactly("protocol_cancelled", "step_cancelled", "protocol_resumed", "protocol_paused",
                "protocol_started", "step_created", "protocol_created");
        assertThat(events.get(0).path("metadata").path("request_id").asText()).isNotBlank();
    }

    @Test
    void eventsAreKeysetPaginatedNewestFirst() {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        for (int i = 1; i <= 5; i++) createProtocol(http, projectId, String.format("%04d-p", i));
        JsonNode first = http.get("/events?project_id=" + projectId + "&limit=2").json();
        assertThat(first.path("items").size()).isEqualTo(2);
        long a = first.path("items").get(0).path("id").asLong();
        long b = first.path("items").get(1).path("id").asLong();
        assertThat(a).isGreaterThan(b);
        String cursor = first.path("next_cursor").asText();
        JsonNode second = http.get("/events?project_id=" + projectId + "&limit=2&before=" + cursor).json();
        assertThat(second.path("items").get(0).path("id").asLong()).isLessThan(b);
        JsonNode all = http.get("/events?project_id=" + projectId + "&limit=500").json();
        assertThat(all.path("items").size()).isEqualTo(6);
        assertThat(all.path("next_cursor").isNull()).isTrue();
    }

    @Test
    void stepApprovalOnlyFromNeedsQaFailedOrBlocked() {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        long id = createProtocol(http, projectId, "0002-approve").path("id").asLong();
        long stepId = http.post("/protocols/" + id + "/steps", Map.of("step_index", 1, "step_name", "01-work.md",
                "step_type", "work")).json().path("id").asLong();
        Http.Response r = http.post("/steps/" + stepId + "/actions/approve", null);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("error").path("details").path("current_status").asText()).isEqualTo("pending");
    }

    @Test
    void errorCodes() {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        // 400 malformed JSON
        Http.Response bad = http.post("/projects", "{not json");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(bad.json().path("error").path("request_id").asText()).isNotBlank();
        // 422 naming the field
        Http.Response invalid = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "1-bad"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().path("error").path("field").asText()).isEqualTo("protocol_name");
        Http.Response wrongType = http.post("/projects", Map.of("name", "x", "git_url", "file:///x", "secrets", "no"));
        assertThat(wrongType.status()).isEqualTo(422);
        assertThat(wrongType.json().path("error").path("field").asText()).isEqualTo("secrets");
        Http.Response badUrl = http.post("/projects", Map.of("name", unique("u"), "git_url", "--upload-pack=evil"));
        assertThat(badUrl.json().path("error").path("field").asText()).isEqualTo("git_url");
        Http.Response badStep = http.post("/protocols/1/steps", Map.of("step_index", 0, "step_name", "../x.md"));
        assertThat(badStep.status()).isIn(404, 422);
        Http.Response badLimit = http.get("/events?limit=9999");
        assertThat(badLimit.status()).isEqualTo(422);
        assertThat(badLimit.json().path("error").path("field").asText()).isEqualTo("limit");
        // 404 unknown id, unknown route, unknown action
        assertThat(http.get("/protocols/999999").status()).isEqualTo(404);
        assertThat(http.get("/protocols/abc").status()).isEqualTo(404);
        assertThat(http.get("/no/such/route").json().path("error").path("code").asText()).isEqualTo("not_found");
        assertThat(http.post("/protocols/999999/actions/start", null).status()).isEqualTo(404);
        long protoId = createProtocol(http, projectId, "0003-errors").path("id").asLong();
        assertThat(http.post("/protocols/" + protoId + "/actions/explode", null).status()).isEqualTo(404);
        // 409 duplicate name
        Http.Response dup = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0003-errors"));
        assertThat(dup.status()).isEqualTo(409);
        // 413 body over 1 MiB
        Http.Response big = http.post("/projects", "{\"name\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().path("error").path("code").asText()).isEqualTo("payload_too_large");
        // request id is echoed
        Http.Response echoed = http.header("X-Request-ID", "req-abc-123").get("/protocols/999999");
        assertThat(echoed.header("X-Request-ID")).isEqualTo("req-abc-123");
        assertThat(echoed.json().path("error").path("request_id").asText()).isEqualTo("req-abc-123");
        // nothing was changed by the refused requests
        assertThat(http.get("/projects/" + projectId + "/protocols").json().path("items").size()).isEqualTo(1);
    }

    @Test
    void bindingFailuresAnswerOurJsonErrors() {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        long protoId = createProtocol(http, projectId, "0004-binding").path("id").asLong();
        // the body is not a JSON object: 400
        for (String body : List.of("[1]", "\"text\"", "null", "", "{\"name\": ")) {
            Http.Response r = http.post("/projects", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.header("Content-Type")).as(body).startsWith("application/json");
            assertThat(r.json().path("error").path("code").asText()).as(body).isEqualTo("bad_request");
            assertThat(r.json().path("error").path("request_id").asText()).as(body).isNotBlank();
        }
        // an unknown field, a wrong type (nested too): 422 naming the field, as the JSON path
        Http.Response unknown = http.post("/projects", Map.of("name", "x", "git_url", "file:///x", "colour", "red"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().path("error").path("field").asText()).isEqualTo("colour");
        Http.Response nested = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0005-n",
                "checks", List.of(Map.of("name", "t", "command", "true", "timeout_seconds", "soon"))));
        assertThat(nested.status()).isEqualTo(422);
        assertThat(nested.json().path("error").path("field").asText()).isEqualTo("checks[0].timeout_seconds");
        Http.Response coerced = http.post("/protocols/" + protoId + "/steps",
                Map.of("step_index", "0", "step_name", "00-a.md", "step_type", "setup"));
        assertThat(coerced.status()).isEqualTo(422);
        assertThat(coerced.json().path("error").path("field").asText()).isEqualTo("step_index");
        Http.Response budget = http.post("/protocols/" + protoId + "/actions/raise_budget", Map.of("max_tokenz", 5));
        assertThat(budget.status()).isEqualTo(422);
        assertThat(budget.json().path("error").path("field").asText()).isEqualTo("max_tokenz");
        assertThat(http.post("/protocols/" + protoId + "/actions/raise_budget", null).status()).isEqualTo(400);
        // an action without a body takes an empty object too (the console sends {})
        assertThat(http.post("/protocols/" + protoId + "/actions/start", Map.of()).status()).isEqualTo(202);
        assertThat(http.get("/protocols/" + protoId).json().path("status").asText()).isEqualTo("planning");
    }

    @Test
    void curlStyleFormEncodedJsonIsReadAsJson() throws Exception {
        String name = unique("curl");
        var res = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/projects"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"" + name + "\",\"git_url\":\"file:///tmp/x.git\",\"secrets\":{\"K\":\"v=1&x\"}}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(res.body()).contains(name).doesNotContain("v=1&x");
    }

    @Test
    void openApiDocumentDescribesTheApi() {
        Http.Response r = http().get("/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        JsonNode paths = r.json().path("paths");
        assertThat(paths.has("/projects")).isTrue();
        assertThat(paths.has("/protocols/{id}/actions/start")).isTrue();
        assertThat(paths.has("/protocols/{id}/actions/raise_budget")).isTrue();
        assertThat(paths.has("/steps/{id}/actions/run_qa")).isTrue();
        assertThat(paths.has("/events")).isTrue();
    }
}
