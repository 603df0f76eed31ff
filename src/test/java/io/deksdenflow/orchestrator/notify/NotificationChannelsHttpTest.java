package io.deksdenflow.orchestrator.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.events.EventRecorder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The project field {@code notifications} over HTTP, with the SSRF guard on (the default): a channel to a loopback,
 * private or metadata address is a 422 that creates or changes nothing; a good list is stored and shown without
 * its URL paths and secret; PATCH replaces it, null returns to DEKSDENFLOW_NOTIFICATIONS. (Public addresses are
 * given as literals: no DNS needed.)
 */
@TestPropertySource(properties = "deksdenflow.notifications=[{\"type\": \"slack\", \"webhook_url\":"
        + " \"https://93.184.215.16/services/DEFAULT-SECRET\", \"events\": [\"protocol_completed\"]}]")
class NotificationChannelsHttpTest extends ApiTestBase {
    static final AtomicInteger PROTOCOLS = new AtomicInteger();
    @Autowired
    EventRecorder events;
    @Autowired
    Transactions tx;
    @Autowired
    DeliveryStore deliveries;
    @Autowired
    JdbcTemplate jdbc;

    static final String SECRET = "whsec_c2VjcmV0LW9mLXRoZS1ub3RpZnktaHR0cC10ZXN0";
    static final String HOOK = "https://93.184.215.14/hooks/secret-path-4711";
    static final String SLACK = "https://93.184.215.15/services/T000/B000/XXXXSECRET";

    static Map<String, Object> webhook(String url) {
        return Map.of("type", "webhook", "url", url, "secret", SECRET, "events", List.of("needs_input", "protocol_failed"));
    }

    private int projectCount(Http http) {
        return http.get("/projects?limit=500").json().path("items").size();
    }

    @Test
    void aChannelToAPrivateAddressIsRefusedAndNothingIsCreated() {
        Http http = http();
        int before = projectCount(http);
        for (String url : List.of("http://127.0.0.1:8080/x", "http://localhost/x", "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.5/x", "http://[::1]:9/x")) {
            Http.Response r = http.post("/projects", Map.of("name", unique("ssrf"), "git_url", "file:///tmp/x.git",
                    "notifications", List.of(webhook(HOOK), webhook(url))));
            assertThat(r.status()).as(url + " " + r.body()).isEqualTo(422);
            assertThat(r.json().path("error").path("code").asText()).isEqualTo("validation_failed");
            assertThat(r.json().path("error").path("field").asText()).isEqualTo("notifications[1].url");
        }
        assertThat(projectCount(http)).isEqualTo(before);
    }

    @Test
    void badChannelsAre422NamingTheField() {
        Http http = http();
        Map<String, Map<String, Object>> bad = Map.of(
                "notifications[0].type", Map.of("type", "pager", "events", List.of("needs_input")),
                "notifications[0].events", Map.of("type", "slack", "webhook_url", SLACK, "events", List.of("everything")),
                "notifications[0].secret", Map.of("type", "webhook", "url", HOOK, "secret", "short", "events", List.of("ci_failed")),
                "notifications[0]", Map.of("type", "slack", "webhook_url", SLACK, "secret", SECRET, "events", List.of("ci_failed")),
                "notifications[0].type.", Map.of("type", "email", "to", List.of("a@example.com"), "events", List.of("ci_failed")));
        bad.forEach((field, channel) -> {
            Http.Response r = http.post("/projects", Map.of("name", unique("bad"), "git_url", "file:///tmp/x.git",
                    "notifications", List.of(channel)));
            assertThat(r.status()).as(field + " " + r.body()).isEqualTo(422);
            // e-mail without DEKSDENFLOW_SMTP_HOST is refused on its type
            assertThat(r.json().path("error").path("field").asText()).isEqualTo(field.replaceAll("\\.$", ""));
        });
        Http.Response unknownField = http.post("/projects", Map.of("name", unique("bad"), "git_url", "file:///tmp/x.git",
                "notifications", List.of(Map.of("type", "slack", "webhook_url", SLACK, "events", List.of("ci_failed"), "colour", "red"))));
        assertThat(unknownField.status()).isEqualTo(422);
    }

    @Test
    void channelsAreStoredShownWithoutSecretsAndPatchedAtomically() {
        Http http = http();
        JsonNode created = createProject(http, Map.of("notifications", List.of(webhook(HOOK),
                Map.of("type", "slack", "webhook_url", SLACK, "events", List.of("pr_opened")))));
        long id = created.path("id").asLong();
        JsonNode shown = http.get("/projects/" + id).json();
        assertThat(shown.path("notifications")).hasSize(2);
        JsonNode hook = shown.path("notifications").get(0);
        assertThat(hook.path("type").asText()).isEqualTo("webhook");
        assertThat(hook.path("host").asText()).isEqualTo("93.184.215.14");
        assertThat(hook.path("secret_set").asBoolean()).isTrue();
        assertThat(hook.path("events").toString()).contains("needs_input", "protocol_failed");
        for (String answer : List.of(created.toString(), shown.toString(), http.get("/projects").body(),
                http.get("/events?project_id=" + id).body())) {
            assertThat(answer).doesNotContain("secret-path-4711").doesNotContain("XXXXSECRET").doesNotContain(SECRET)
                    .doesNotContain("c2VjcmV0");
        }

        // a bad list beside a good field: 422, nothing changed (neither the field nor the channels)
        Http.Response bad = http.patch("/projects/" + id, Map.of("base_branch", "develop",
                "notifications", List.of(webhook("http://192.168.0.10/x"))));
        assertThat(bad.status()).isEqualTo(422);
        JsonNode unchanged = http.get("/projects/" + id).json();
        assertThat(unchanged.path("base_branch").asText()).isEqualTo("main");
        assertThat(unchanged.path("notifications")).hasSize(2);

        Http.Response only = http.patch("/projects/" + id, Map.of("notifications", List.of(
                Map.of("type", "slack", "webhook_url", SLACK, "events", List.of("ci_failed")))));
        assertThat(only.status()).as(only.body()).isEqualTo(200);
        assertThat(only.json().path("message").asText()).isEqualTo("notifications updated");
        assertThat(only.json().path("project").path("notifications")).hasSize(1);
        assertThat(only.body()).doesNotContain("XXXXSECRET");

        Http.Response cleared = http.patch("/projects/" + id, java.util.Collections.singletonMap("notifications", null));
        assertThat(cleared.status()).isEqualTo(200);
        assertThat(http.get("/projects/" + id).json().path("notifications").isNull()).isTrue();
        assertThat(http.get("/projects/" + id + "/notifications/deliveries").json().path("items")).isEmpty();
    }

    /** Records {@code type} on a fresh protocol of the project, as a lifecycle would; returns the protocol's id. */
    private long record(Http http, long projectId, String type, boolean commit) {
        long protocolId = createProtocol(http, projectId, String.format("%04d-notify", PROTOCOLS.incrementAndGet()))
                .path("id").asLong();
        try {
            tx.inTx(() -> {
                events.record(projectId, protocolId, null, type, "test event", Map.of());
                if (!commit) throw new IllegalStateException("roll back");
                return null;
            });
        } catch (IllegalStateException e) {
            assertThat(commit).isFalse();
        }
        return protocolId;
    }

    @Test
    void anEventOfAKindWritesOneDeliveryPerChannelWithItsEventOrNotAtAll() {
        Http http = http();
        // no list of its own: DEKSDENFLOW_NOTIFICATIONS
        long byDefault = createProject(http, Map.of()).path("id").asLong();
        record(http, byDefault, "protocol_completed", true);
        record(http, byDefault, "step_started", true);            // no kind
        record(http, byDefault, "protocol_completed", false);     // rolled back with its event
        JsonNode items = http.get("/projects/" + byDefault + "/notifications/deliveries").json().path("items");
        assertThat(items).hasSize(1);
        JsonNode d = items.get(0);
        assertThat(d.path("kind").asText()).isEqualTo("protocol_completed");
        assertThat(d.path("channel").asText()).isEqualTo("slack 93.184.215.16");
        assertThat(d.path("status").asText()).isEqualTo("pending"); // the api role runs no worker
        assertThat(d.path("attempts").asInt()).isZero();
        assertThat(d.path("message_id").asText()).matches("msg_[0-9a-f]{32}");
        assertThat(items.toString()).doesNotContain("DEFAULT-SECRET");
        // the attempts as the worker records them; a delivered row stays delivered
        long deliveryId = d.path("id").asLong();
        deliveries.attempted(deliveryId, 1, Delivery.Status.PENDING, "slack 93.184.215.16 answered HTTP 500", 500);
        JsonNode retrying = http.get("/projects/" + byDefault + "/notifications/deliveries").json().path("items").get(0);
        assertThat(retrying.path("attempts").asInt()).isEqualTo(1);
        assertThat(retrying.path("last_status_code").asInt()).isEqualTo(500);
        assertThat(retrying.path("delivered_at").isNull()).isTrue();
        deliveries.attempted(deliveryId, 2, Delivery.Status.DELIVERED, null, 200);
        deliveries.attempted(deliveryId, 3, Delivery.Status.FAILED, "late", null);
        JsonNode delivered = http.get("/projects/" + byDefault + "/notifications/deliveries").json().path("items").get(0);
        assertThat(delivered.path("status").asText()).isEqualTo("delivered");
        assertThat(delivered.path("attempts").asInt()).isEqualTo(2);
        assertThat(delivered.path("last_error").isNull()).isTrue();
        assertThat(delivered.path("delivered_at").asText()).isNotBlank();

        // its own list wins: two channels want the kind, one does not
        long own = createProject(http, Map.of("notifications", List.of(webhook(HOOK),
                Map.of("type", "slack", "webhook_url", SLACK, "events", List.of("protocol_completed", "ci_failed")),
                Map.of("type", "webhook", "url", HOOK + "/2", "secret", SECRET, "events", List.of("protocol_completed"))))).path("id").asLong();
        record(http, own, "protocol_completed", true);
        JsonNode mine = http.get("/projects/" + own + "/notifications/deliveries").json().path("items");
        assertThat(mine).hasSize(2);
        assertThat(mine.findValuesAsText("channel_type")).containsExactlyInAnyOrder("slack", "webhook");
        assertThat(mine.get(0).path("message_id").asText()).isNotEqualTo(mine.get(1).path("message_id").asText());

        // an empty list: no notification at all
        long none = createProject(http, Map.of("notifications", List.of())).path("id").asLong();
        record(http, none, "protocol_completed", true);
        assertThat(http.get("/projects/" + none + "/notifications/deliveries").json().path("items")).isEmpty();
    }

    /**
     * The database refuses this project's delivery rows (a trigger): the protocol's event and its state change
     * still commit — the notifications are written under a savepoint — on SQLite and on PostgreSQL, where a failed
     * statement would otherwise abort the whole transaction.
     */
    @Test
    void aFailureToWriteTheDeliveriesNeverFailsTheEventsTransaction() throws Exception {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        String vendor;
        try (var c = jdbc.getDataSource().getConnection()) {
            vendor = c.getMetaData().getDatabaseProductName();
        }
        if (vendor.toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
            jdbc.execute("CREATE OR REPLACE FUNCTION refuse_delivery() RETURNS trigger AS $$ BEGIN "
                    + "RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql");
            jdbc.execute("CREATE TRIGGER refuse_" + projectId + " BEFORE INSERT ON notify_deliveries FOR EACH ROW WHEN "
                    + "(NEW.project_id = " + projectId + ") EXECUTE FUNCTION refuse_delivery()");
        } else {
            jdbc.execute("CREATE TRIGGER refuse_" + projectId + " BEFORE INSERT ON notify_deliveries WHEN NEW.project_id = "
                    + projectId + " BEGIN SELECT RAISE(ABORT, 'refused for the test'); END");
        }
        String countJobs = "SELECT COUNT(*) FROM outbox WHERE job_type = 'notify_job'";
        Integer jobsBefore = jdbc.queryForObject(countJobs, Integer.class);
        try {
            long protocolId = record(http, projectId, "protocol_completed", true);
            assertThat(http.get("/protocols/" + protocolId + "/events").body()).contains("protocol_completed");
            assertThat(http.get("/projects/" + projectId + "/notifications/deliveries").json().path("items")).isEmpty();
            assertThat(jdbc.queryForObject(countJobs, Integer.class)).isEqualTo(jobsBefore); // the job went with its row
        } finally {
            jdbc.execute("DROP TRIGGER refuse_" + projectId + (vendor.toLowerCase(java.util.Locale.ROOT).contains("postgres")
                    ? " ON notify_deliveries" : ""));
        }
    }
}
