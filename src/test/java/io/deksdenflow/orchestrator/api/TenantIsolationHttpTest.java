package io.deksdenflow.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Project tokens hold on every listing: /projects, /queues/jobs, unscoped /events and unscoped
 * /events/stream show a token-protected project's data only to a request carrying its token (one of
 * several, repeated or comma-separated). Disk paths never reach API clients.
 */
@TestPropertySource(properties = {"deksdenflow.api-token=" + TenantIsolationHttpTest.API_TOKEN,
        "deksdenflow.git-local=true"})
class TenantIsolationHttpTest extends ApiTestBase {
    static final String API_TOKEN = "isolation-api-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Http api() {
        return http().header("Authorization", "Bearer " + API_TOKEN);
    }

    private record Tenants(long a, long b, long open) {}

    private Tenants tenants() {
        Http api = api();
        long a = createProject(api, Map.of("project_token", "token-aaa", "secrets", Map.of("GITHUB_TOKEN", "x"),
                "default_models", Map.of("exec", "secret-model"))).path("id").asLong();
        long b = createProject(api, Map.of("project_token", "token-bbb")).path("id").asLong();
        long open = createProject(api, Map.of()).path("id").asLong();
        return new Tenants(a, b, open);
    }

    private static JsonNode byId(JsonNode items, long id) {
        for (JsonNode item : items) if (item.path("id").asLong() == id) return item;
        return null;
    }

    /** GET with X-Project-Token sent once per value (repeated header). */
    private JsonNode getRepeated(String path, String... tokens) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + API_TOKEN);
        for (String t : tokens) b.header("X-Project-Token", t);
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return MAPPER.readTree(r.body());
    }

    @Test
    void projectListingShowsATokenProtectedProjectOnlyWithItsToken() throws Exception {
        Tenants t = tenants();
        JsonNode none = api().get("/projects?limit=500").json().path("items");
        JsonNode withB = api().header("X-Project-Token", "token-bbb").get("/projects?limit=500").json().path("items");
        JsonNode several = api().header("X-Project-Token", "token-bbb, token-aaa").get("/projects?limit=500").json().path("items");
        JsonNode repeated = getRepeated("/projects?limit=500", "token-bbb", "token-aaa").path("items");

        for (JsonNode listing : List.of(none, withB)) {
            JsonNode a = byId(listing, t.a());
            assertThat(a).isNotNull();
            assertThat(fieldNames(a)).containsExactlyInAnyOrder("id", "has_project_token", "locked");
            assertThat(listing.toString()).doesNotContain("secret-model", "GITHUB_TOKEN");
        }
        assertThat(byId(none, t.b()).has("git_url")).isFalse();
        assertThat(byId(withB, t.b()).path("git_url").asText()).startsWith("file:");
        assertThat(byId(none, t.open()).path("git_url").asText()).startsWith("file:");
        for (JsonNode listing : List.of(several, repeated)) {
            assertThat(byId(listing, t.a()).path("default_models").path("exec").asText()).isEqualTo("secret-model");
            assertThat(byId(listing, t.a()).path("secret_keys").toString()).contains("GITHUB_TOKEN");
            assertThat(byId(listing, t.b()).path("git_url").asText()).startsWith("file:");
        }
        // a single project still needs exactly its token, which may be one of several
        assertThat(api().get("/projects/" + t.a()).status()).isEqualTo(401);
        assertThat(api().header("X-Project-Token", "token-bbb").get("/projects/" + t.a()).status()).isEqualTo(401);
        assertThat(api().header("X-Project-Token", "token-bbb,token-aaa").get("/projects/" + t.a()).status()).isEqualTo(200);
        assertThat(getRepeated("/projects/" + t.a(), "token-bbb", "token-aaa").path("id").asLong()).isEqualTo(t.a());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void queueJobsListTokenProtectedJobsOnlyWithTheToken() throws Exception {
        Tenants t = tenants();
        // each registration enqueued a project_setup_job (nothing consumes them in the api role)
        await().atMost(Duration.ofSeconds(20)).until(() -> jobProjects(api().header("X-Project-Token", "token-aaa,token-bbb"))
                .containsAll(List.of(t.a(), t.b(), t.open())));
        assertThat(jobProjects(api())).contains(t.open()).doesNotContain(t.a(), t.b());
        assertThat(jobProjects(api().header("X-Project-Token", "token-bbb"))).contains(t.open(), t.b()).doesNotContain(t.a());
        assertThat(jobProjects(api().header("X-Project-Token", "token-aaa"))).contains(t.open(), t.a()).doesNotContain(t.b());
        List<Long> repeated = new ArrayList<>();
        getRepeated("/queues/jobs?status=queued&limit=500", "token-aaa", "token-bbb").path("items")
                .forEach(j -> repeated.add(j.path("project_id").asLong()));
        assertThat(repeated).contains(t.a(), t.b(), t.open());
    }

    private static List<Long> jobProjects(Http http) {
        Http.Response r = http.get("/queues/jobs?status=queued&limit=500");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<Long> out = new ArrayList<>();
        r.json().path("items").forEach(j -> out.add(j.path("project_id").asLong()));
        return out;
    }

    @Test
    void unscopedEventsShowTokenProtectedProjectsOnlyWithTheirTokens() {
        Tenants t = tenants();
        List<Long> none = eventProjects(api());
        List<Long> withA = eventProjects(api().header("X-Project-Token", "token-aaa"));
        List<Long> both = eventProjects(api().header("X-Project-Token", "token-aaa,token-bbb"));
        assertThat(none).contains(t.open()).doesNotContain(t.a(), t.b());
        assertThat(withA).contains(t.open(), t.a()).doesNotContain(t.b());
        assertThat(both).contains(t.open(), t.a(), t.b());
    }

    private static List<Long> eventProjects(Http http) {
        Http.Response r = http.get("/events?limit=500");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<Long> out = new ArrayList<>();
        r.json().path("items").forEach(e -> out.add(e.path("project_id").asLong()));
        return out;
    }

    @Test
    void unscopedEventStreamShowsTokenProtectedProjectsOnlyWithTheirTokens() throws Exception {
        Tenants t = tenants();
        CompletableFuture<List<Long>> anonymous = streamUntilProjectCreated(null, t.open());
        CompletableFuture<List<Long>> withA = streamUntilProjectCreated("token-bbb,token-aaa", t.open());
        // the streams are open once the connected comment arrived; then a's protocol, then open's
        createProtocol(api().header("X-Project-Token", "token-aaa"), t.a(), "0001-secret-work");
        createProtocol(api(), t.open(), "0001-open-work");
        assertThat(anonymous.get(30, TimeUnit.SECONDS)).containsExactly(t.open());
        assertThat(withA.get(30, TimeUnit.SECONDS)).containsExactly(t.a(), t.open());
    }

    /** Project ids of the protocol_created events an unscoped stream delivers, up to the one of {@code last}. */
    private CompletableFuture<List<Long>> streamUntilProjectCreated(String tokens, long last) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events/stream"))
                .header("Authorization", "Bearer " + API_TOKEN).timeout(Duration.ofSeconds(60));
        if (tokens != null) b.header("X-Project-Token", tokens);
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(b.GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        Iterator<String> lines = r.body().iterator();
        while (lines.hasNext() && !lines.next().startsWith(":connected")) {
            // wait for the subscription to be registered
        }
        return CompletableFuture.supplyAsync(() -> {
            List<Long> seen = new ArrayList<>();
            try {
                while (lines.hasNext()) {
                    String line = lines.next();
                    if (!line.startsWith("data:")) continue;
                    JsonNode e = MAPPER.readTree(line.substring(5));
                    if (!e.path("event_type").asText().equals("protocol_created")) continue;
                    seen.add(e.path("project_id").asLong());
                    if (e.path("project_id").asLong() == last) return seen;
                }
                return seen;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                r.body().close();
            }
        });
    }

    @Test
    void diskPathsAreNotShownToApiClients() {
        Http api = api().header("X-Project-Token", "token-aaa");
        Tenants t = tenants();
        long protocol = createProtocol(api, t.a(), "0001-paths").path("id").asLong();
        for (String path : List.of("/projects/" + t.a(), "/projects?limit=500", "/protocols/" + protocol,
                "/projects/" + t.a() + "/protocols")) {
            Http.Response r = api.get(path);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain("local_path", "worktree_path");
        }
        assertThat(api.get("/events?project_id=" + t.a() + "&limit=500").body()).doesNotContain("workspace ready at");
    }
}
