package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import io.deksdenflow.orchestrator.testsupport.TestTransitions;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code direct:ci-status} as the extension point: YAML routes loaded from a temporary
 * DEKSDENFLOW_ROUTES_DIR (a minimal custom route and the shipped Jenkins example) feed it over HTTP.
 * Its own context (not ApiTestBase) so that its routes dir wins. No webhook secret is set and
 * DEKSDENFLOW_WEBHOOK_ALLOW_UNSIGNED=true: the development mode is tested here too.
 */
@SlowTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebhookCustomRoutesHttpTest {
    static final String JENKINS_TOKEN = "jenkins-secret";
    private static final String DB = TestDatabases.sqlitePath();
    private static final Path ROUTES = routesDir();

    @LocalServerPort
    int port;
    @Autowired
    ProtocolStore protocols;
    @Autowired
    Transactions tx;
    @Autowired
    ProducerTemplate producer;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("deksdenflow.db-path", () -> DB);
        r.add("deksdenflow.role", () -> "api");
        r.add("deksdenflow.workspace", () -> DB + ".workspace");
        r.add("deksdenflow.routes-dir", ROUTES::toString);
        r.add("deksdenflow.webhook-token", () -> "");
        r.add("deksdenflow.webhook-allow-unsigned", () -> "true");
        r.add("DEKSDENFLOW_JENKINS_TOKEN", () -> JENKINS_TOKEN);
    }

    private static Path routesDir() {
        try {
            Path dir = Files.createTempDirectory("dfo-routes");
            Files.writeString(dir.resolve("custom.yaml"), """
                    - route:
                        id: webhook-custom
                        from:
                          uri: platform-http:/webhooks/custom
                          parameters:
                            httpMethodRestrict: POST
                          steps:
                            - removeHeaders:
                                pattern: "*"
                            - to: direct:ci-status
                    """);
            Files.copy(Path.of("routes/jenkins-ci-status.yaml"), dir.resolve("jenkins-ci-status.yaml"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Http http() {
        return new Http(port);
    }

    private ProtocolRun running(String name) {
        return running(name, Map.of());
    }

    private ProtocolRun running(String name, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(extra);
        body.put("name", "p-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("git_url", "https://github.com/Acme/custom-" + UUID.randomUUID().toString().substring(0, 8) + ".git");
        Http.Response project = http().post("/projects", body);
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        Http.Response created = http().post("/projects/" + project.json().get("id").asLong() + "/protocols",
                Map.of("protocol_name", name));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        return tx.inTx(() -> {
            return TestTransitions.running(protocols, protocols.get(id));
        });
    }

    private static String name() {
        return "0100-custom-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<JsonNode> events(long protocolRunId) {
        List<JsonNode> out = new ArrayList<>();
        http().get("/protocols/" + protocolRunId + "/events?limit=500").json().get("items").forEach(out::add);
        return out;
    }

    private JsonNode event(long protocolRunId, String type) {
        return events(protocolRunId).stream().filter(e -> e.get("event_type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type));
    }

    private String status(long protocolRunId) {
        return http().get("/protocols/" + protocolRunId).json().get("status").asText();
    }

    @Test
    void aYamlRouteFeedsDirectCiStatus() {
        ProtocolRun p = running(name());
        Http.Response r = http().post("/webhooks/custom", Map.of("branch", p.protocolName(), "status", "failure",
                "provider", "jenkins", "url", "https://ci.example.com/job/7", "check_name", "build", "summary", "boom"));

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isEqualTo("accepted");
        assertThat(status(p.id())).isEqualTo("blocked");
        JsonNode meta = event(p.id(), "ci_failed").get("metadata");
        assertThat(meta.get("provider").asText()).isEqualTo("jenkins");
        assertThat(meta.get("check_name").asText()).isEqualTo("build");
        assertThat(meta.get("url").asText()).isEqualTo("https://ci.example.com/job/7");

        Http.Response byId = http().post("/webhooks/custom", Map.of("protocol_run_id", p.id(), "status", "running",
                "provider", "jenkins"));
        assertThat(byId.status()).isEqualTo(202);
        assertThat(event(p.id(), "ci_running")).isNotNull();
    }

    @Test
    void invalidObjectsAre422MalformedJson400UnknownBranch202() {
        Http.Response bad = http().post("/webhooks/custom", Map.of("branch", "0001-x", "status", "passed"));
        assertThat(bad.status()).as(bad.body()).isEqualTo(422);
        assertThat(bad.json().get("error").get("code").asText()).isEqualTo("validation_failed");
        assertThat(bad.json().get("error").get("field").asText()).isEqualTo("status");

        Http.Response noTarget = http().post("/webhooks/custom", Map.of("status", "success"));
        assertThat(noTarget.status()).isEqualTo(422);
        assertThat(noTarget.json().get("error").get("field").asText()).isEqualTo("protocol_run_id");

        Http.Response array = http().post("/webhooks/custom", "[1]");
        assertThat(array.status()).isEqualTo(422);

        Http.Response malformed = http().post("/webhooks/custom", "{\"status\": ");
        assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
        assertThat(malformed.json().get("error").get("code").asText()).isEqualTo("bad_request");

        Http.Response unknown = http().post("/webhooks/custom", Map.of("branch", name(), "status", "success"));
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(unknown.json().get("status").asText()).isEqualTo("ignored");
    }

    @Test
    void theShippedJenkinsRouteWorksEndToEnd() {
        ProtocolRun p = running(name());
        Map<String, Object> notification = Map.of("name", "demo", "build", Map.of("full_url", "https://jenkins/job/5",
                "number", 5, "phase", "COMPLETED", "status", "FAILURE",
                "scm", Map.of("branch", "origin/" + p.protocolName(), "commit", "abc")));

        Http.Response refused = http().post("/webhooks/jenkins", notification);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(status(p.id())).isEqualTo("running");

        Http.Response r = http().header("X-Jenkins-Token", JENKINS_TOKEN).post("/webhooks/jenkins", notification);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(status(p.id())).isEqualTo("blocked");
        assertThat(event(p.id(), "ci_failed").get("metadata").get("provider").asText()).isEqualTo("jenkins");
    }

    @Test
    void theJenkinsTokenNeverCoversAProjectWithItsOwnWebhookSecret() {
        ProtocolRun own = running(name(), Map.of("secrets", Map.of("webhook_token", "project-own-secret")));
        Map<String, Object> failure = Map.of("branch", own.protocolName(), "status", "FAILURE", "url", "https://jenkins/job/9");

        Http.Response byBranch = http().header("X-Jenkins-Token", JENKINS_TOKEN).post("/webhooks/jenkins", failure);
        assertThat(byBranch.status()).as(byBranch.body()).isEqualTo(202);
        assertThat(byBranch.json().get("status").asText()).isEqualTo("ignored");
        Http.Response byId = http().header("X-Jenkins-Token", JENKINS_TOKEN)
                .post("/webhooks/jenkins?protocol_run_id=" + own.id(), failure);
        assertThat(byId.status()).as(byId.body()).isEqualTo(202);
        assertThat(byId.json().get("status").asText()).isEqualTo("ignored");
        Http.Response custom = http().post("/webhooks/custom", Map.of("protocol_run_id", own.id(), "status", "failure"));
        assertThat(custom.json().get("status").asText()).isEqualTo("ignored");

        assertThat(status(own.id())).isEqualTo("running");
        assertThat(events(own.id())).noneMatch(e -> e.get("event_type").asText().startsWith("ci_"));
    }

    @Test
    void directCiStatusTakesAMapOrAString() throws Exception {
        ProtocolRun p = running(name());
        byte[] answer = producer.requestBody(WebhookEndpoints.CI_STATUS,
                Map.of("protocol_run_id", p.id(), "status", "running", "provider", "custom"), byte[].class);
        assertThat(Fixtures.MAPPER.readTree(answer).get("status").asText()).isEqualTo("accepted");
        byte[] text = producer.requestBody(WebhookEndpoints.CI_STATUS,
                "{\"branch\": \"" + p.protocolName() + "\", \"status\": \"success\"}", byte[].class);
        assertThat(Fixtures.MAPPER.readTree(text).get("status").asText()).isEqualTo("accepted");
        assertThat(event(p.id(), "ci_running")).isNotNull();
        assertThat(event(p.id(), "ci_passed")).isNotNull();
    }

    @Test
    void unsignedDeliveriesAreAcceptedOnlyInDevelopmentMode() {
        ProtocolRun p = running(name());
        byte[] body = ("{\"action\":\"in_progress\",\"workflow_run\":{\"name\":\"CI\",\"head_branch\":\""
                + p.protocolName() + "\",\"status\":\"in_progress\"}}").getBytes();
        Http.Response r = http().postBytes("/webhooks/github", body, Map.of("X-GitHub-Event", "workflow_run",
                "X-GitHub-Delivery", UUID.randomUUID().toString()));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(event(p.id(), "ci_running")).isNotNull();
    }
}
