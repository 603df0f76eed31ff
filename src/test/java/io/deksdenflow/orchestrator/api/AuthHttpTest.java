package io.deksdenflow.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Bearer token on every non-public route; project tokens on every route scoped to their project. */
@TestPropertySource(properties = {"deksdenflow.api-token=test-api-token-0123456789", "deksdenflow.git-local=true"})
class AuthHttpTest extends ApiTestBase {
    private static final String BEARER = "Bearer test-api-token-0123456789";

    @Test
    void bearerTokenRequiredExceptOnPublicRoutes() {
        Http anon = http();
        assertThat(anon.get("/projects").status()).isEqualTo(401);
        assertThat(anon.get("/projects").json().path("error").path("code").asText()).isEqualTo("unauthorized");
        assertThat(anon.header("Authorization", "Bearer wrong").get("/projects").status()).isEqualTo(401);
        assertThat(anon.header("Authorization", "Basic dGVzdA==").get("/projects").status()).isEqualTo(401);
        assertThat(anon.get("/events").status()).isEqualTo(401);
        assertThat(anon.get("/openapi.json").status()).isEqualTo(401);
        assertThat(anon.post("/projects", Map.of("name", "x", "git_url", "file:///x")).status()).isEqualTo(401);
        assertThat(anon.get("/health").status()).isEqualTo(200);
        Http.Response ok = anon.header("Authorization", BEARER).header("X-Project-Token", "tok-echo-test")
                .get("/projects?limit=5");
        assertThat(ok.status()).isEqualTo(200);
        // request headers and parameters are never echoed back
        assertThat(ok.headers().firstValue("Authorization")).isEmpty();
        assertThat(ok.headers().firstValue("X-Project-Token")).isEmpty();
        assertThat(ok.headers().firstValue("limit")).isEmpty();
        assertThat(ok.headers().allValues("X-Request-ID")).hasSize(1);
    }

    @Test
    void projectTokenGuardsEverythingScopedToItsProject() {
        Http api = http().header("Authorization", BEARER);
        long a = createProject(api, Map.of("project_token", "token-of-project-a")).path("id").asLong();
        long b = createProject(api, Map.of("project_token", "token-of-project-b")).path("id").asLong();
        long open = createProject(api, Map.of()).path("id").asLong();
        Http withA = api.header("X-Project-Token", "token-of-project-a");
        Http withB = api.header("X-Project-Token", "token-of-project-b");

        long protocol = createProtocol(withA, a, "0001-guarded").path("id").asLong();
        long step = withA.post("/protocols/" + protocol + "/steps", Map.of("step_index", 0, "step_name", "00-setup.md"))
                .json().path("id").asLong();
        createProtocol(api, open, "0001-open");

        String[] gets = {"/projects/" + a, "/projects/" + a + "/protocols", "/protocols/" + protocol,
                "/protocols/" + protocol + "/steps", "/protocols/" + protocol + "/events", "/steps/" + step,
                "/steps/" + step + "/runs", "/events?project_id=" + a};
        for (String path : gets) {
            assertThat(api.get(path).status()).as("no project token: " + path).isEqualTo(401);
            assertThat(withB.get(path).status()).as("other project's token: " + path).isEqualTo(401);
            assertThat(withA.get(path).status()).as("own token: " + path).isEqualTo(200);
        }
        assertThat(withB.post("/protocols/" + protocol + "/actions/start", null).status()).isEqualTo(401);
        assertThat(withB.post("/steps/" + step + "/actions/run", null).status()).isEqualTo(401);
        assertThat(withB.post("/projects/" + a + "/protocols", Map.of("protocol_name", "0002-x")).status()).isEqualTo(401);
        // refused actions changed nothing
        assertThat(withA.get("/protocols/" + protocol).json().path("status").asText()).isEqualTo("pending");
        assertThat(withA.post("/protocols/" + protocol + "/actions/start", null).status()).isEqualTo(202);

        // unscoped event listing shows only projects without a token
        var items = api.get("/events?limit=500").json().path("items");
        assertThat(items.size()).isGreaterThan(0);
        items.forEach(e -> assertThat(e.path("project_id").asLong()).isNotIn(a, b));
        assertThat(withA.get("/projects/" + b).status()).isEqualTo(401);
    }
}
