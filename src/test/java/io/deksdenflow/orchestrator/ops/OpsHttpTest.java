package io.deksdenflow.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** /metrics, /routes and the live event stream over real HTTP. */
class OpsHttpTest extends ApiTestBase {

    @Test
    void metricsUseRouteTemplatesAndCarryCamelRouteMeters() {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        http.get("/projects/" + projectId);
        http.get("/projects/" + (projectId + 1000));
        Http.Response r = http.get("/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain");
        String text = r.body();
        assertThat(text).containsPattern("http_requests_seconds_count\\{[^}]*method=\"GET\",route=\"/projects/\\{id\\}\",status=\"200\"\\}");
        assertThat(text).containsPattern("http_requests_seconds_count\\{[^}]*method=\"POST\",route=\"/projects\",status=\"201\"\\}");
        assertThat(text).contains("route=\"/projects/{id}\",status=\"404\"");
        assertThat(text).doesNotContain("route=\"/projects/" + projectId + "\"");
        assertThat(text).contains("routeId=\"project-create\"");
        assertThat(text).contains("outbox_pending");
    }

    @Test
    void routesMonitorListsEveryRouteWithCounters() {
        Http http = http();
        createProject(http, Map.of());
        JsonNode items = http.get("/routes").json().path("items");
        JsonNode create = null;
        for (JsonNode i : items) if (i.path("route_id").asText().equals("project-create")) create = i;
        assertThat(create).isNotNull();
        assertThat(create.path("endpoint").asText()).contains("/projects");
        assertThat(create.path("status").asText()).isEqualTo("started");
        assertThat(create.path("exchanges_total").asLong()).isPositive();
        assertThat(items.findValuesAsText("route_id")).contains("queue-outbox-relay", "protocol-start", "step-run-qa", "event-list");
    }

    @Test
    void eventStreamDeliversNewEventsWithoutPolling() throws Exception {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/events/stream?project_id=" + projectId))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        CompletableFuture<JsonNode> received = CompletableFuture.supplyAsync(() -> {
            Iterator<String> lines = stream.body().iterator();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.startsWith("data:")) {
                    try {
                        JsonNode e = new ObjectMapper().readTree(line.substring(5));
                        if (e.path("event_type").asText().equals("protocol_created")) return e;
                    } catch (Exception ignored) {
                        // keep reading
                    }
                }
            }
            return null;
        });
        createProtocol(http, projectId, "0001-live");
        JsonNode event = received.get(30, TimeUnit.SECONDS);
        assertThat(event.path("project_id").asLong()).isEqualTo(projectId);
        assertThat(event.path("message").asText()).contains("0001-live");
        stream.body().close();
    }
}
