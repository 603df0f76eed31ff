package io.deksdenflow.orchestrator.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Notifications end to end: the whole service (API, workers, Redis, the stand-in agent) runs protocols whose
 * events reach local receivers — a webhook receiver that checks the Standard Webhooks signature with its own
 * implementation ({@link IndependentWebhookVerifier}), a Slack stand-in and GreenMail's SMTP server — through
 * the durable queue. Private addresses are allowed here (every receiver is on 127.0.0.1); the guard's refusal
 * is {@code NotificationChannelsHttpTest}'s and {@code UrlGuardTest}'s.
 */
@ExtendWith(OutputCaptureExtension.class)
class NotificationsFlowTest extends FlowTestBase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final GreenMail MAIL = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    static final Receiver HOOKS;
    static final DeadReceiver DEAD;

    static {
        MAIL.start();
        try {
            HOOKS = new Receiver();
            DEAD = new DeadReceiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void notifyProperties(DynamicPropertyRegistry r) {
        r.add("deksdenflow.notify-allow-private", () -> "true");
        r.add("deksdenflow.notify-attempts", () -> "3");
        r.add("deksdenflow.notify-backoff-seconds", () -> "1");
        r.add("deksdenflow.notify-backoff-max-seconds", () -> "2");
        r.add("deksdenflow.public-url", () -> "https://flow.example.test");
        r.add("deksdenflow.smtp-host", () -> "127.0.0.1");
        r.add("deksdenflow.smtp-port", () -> Integer.toString(MAIL.getSmtp().getPort()));
        r.add("deksdenflow.smtp-from", () -> "flow@example.test");
        r.add("deksdenflow.smtp-starttls", () -> "false");
        r.add("deksdenflow.worker-concurrency", () -> "3");
        r.add("deksdenflow.auto-qa-after-exec", () -> "true");
    }

    @AfterAll
    static void stop() throws IOException {
        MAIL.stop();
        HOOKS.close();
        DEAD.close();
    }

    static String secret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    static String path(String what) {
        return "/" + what + "-" + UUID.randomUUID();
    }

    static Map<String, Object> webhook(String url, String secret, String... events) {
        return Map.of("type", "webhook", "url", url, "secret", secret, "events", List.of(events));
    }

    /** The protocol in {@code status}, or a failure naming its events and the queue. */
    private void reach(Http http, long id, String status) {
        try {
            awaitProtocol(http, id, status);
        } catch (RuntimeException e) {
            throw new AssertionError("protocol " + id + " did not reach " + status + ": "
                    + http.get("/protocols/" + id + "/events?limit=50").body() + "\nfailed jobs: "
                    + http.get("/queues/jobs?status=failed").body() + "\ndelayed: " + http.get("/queues/jobs?status=delayed").body(), e);
        }
    }

    private JsonNode deliveries(Http http, long projectId) {
        return http.get("/projects/" + projectId + "/notifications/deliveries?limit=100").json().path("items");
    }

    private long protocol(Http http, long projectId, String name) {
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name, "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return id;
    }

    @Test
    void theRightEventsReachTheRightChannelsSignedAndSecretsStayHidden(CapturedOutput output) throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Http http = http();
        String secret = secret();
        String hookPath = path("hook");
        String slackPath = path("slack");
        String ciOnlyPath = path("ci-only");
        String to = "owner-" + UUID.randomUUID().toString().substring(0, 6) + "@example.test";
        List<Object> channels = List.of(
                webhook(HOOKS.url(hookPath), secret, "protocol_completed", "protocol_blocked"),
                Map.of("type", "slack", "webhook_url", HOOKS.url(slackPath), "events", List.of("protocol_completed")),
                Map.of("type", "email", "to", List.of(to), "events", List.of("protocol_completed")),
                webhook(HOOKS.url(ciOnlyPath), secret(), "ci_failed", "needs_input"));
        JsonNode project = readyProject(http, origin("notify"), Map.of("notifications", channels));
        long projectId = project.path("id").asLong();
        assertThat(project.path("status").asText()).as(project.toString()).isEqualTo("ready");

        long id = protocol(http, projectId, "0001-notify");
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/protocols/" + id).json().path("status").asText()
                .matches("pending|planning"));
        assertThat(http.get("/protocols/" + id).json().path("status").asText())
                .as(http.get("/protocols/" + id + "/events").body()).isIn("running", "completed", "planned");
        reach(http, id, "completed");
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(http, projectId).size() == 3
                && allDelivered(deliveries(http, projectId)));

        // the webhook: one request, signed (checked independently), the message's JSON
        List<Receiver.Request> hooks = HOOKS.on(hookPath);
        assertThat(hooks).hasSize(1);
        Receiver.Request hook = hooks.get(0);
        assertThat(IndependentWebhookVerifier.verifies(secret, hook.headers(), hook.body())).isTrue();
        assertThat(IndependentWebhookVerifier.verifies(secret(), hook.headers(), hook.body())).isFalse();
        JsonNode body = JSON.readTree(hook.body());
        assertThat(body.path("type").asText()).isEqualTo("deksdenflow.protocol_completed");
        JsonNode data = body.path("data");
        assertThat(data.path("kind").asText()).isEqualTo("protocol_completed");
        assertThat(data.path("protocol").path("id").asLong()).isEqualTo(id);
        assertThat(data.path("protocol").path("name").asText()).isEqualTo("0001-notify");
        assertThat(data.path("event").path("type").asText()).isEqualTo("protocol_completed");
        assertThat(data.path("links").path("console").asText())
                .isEqualTo("https://flow.example.test/console/#/projects/" + projectId + "/protocols/" + id);
        assertThat(data.path("summary").asText()).contains("0001-notify").contains("protocol completed");
        assertThat(hook.headers().get("webhook-id")).startsWith("msg_");

        // Slack: a Block Kit message with the summary and the console link
        List<Receiver.Request> slack = HOOKS.on(slackPath);
        assertThat(slack).hasSize(1);
        JsonNode message = JSON.readTree(slack.get(0).body());
        assertThat(message.path("text").asText()).contains("0001-notify");
        assertThat(message.path("blocks").get(0).path("type").asText()).isEqualTo("header");
        assertThat(message.path("blocks").toString()).contains("https://flow.example.test/console/#/projects/");

        // e-mail: one mail, plain text and HTML
        assertThat(MAIL.waitForIncomingEmail(10_000, 1)).isTrue();
        MimeMessage[] mails = MAIL.getReceivedMessagesForDomain("example.test");
        List<MimeMessage> mine = new ArrayList<>();
        for (MimeMessage m : mails) {
            if (m.getAllRecipients()[0].toString().equals(to)) mine.add(m);
        }
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).getSubject()).contains("protocol completed").contains("0001-notify");
        String raw = GreenMailUtil.getWholeMessage(mine.get(0));
        assertThat(raw).contains("text/plain").contains("text/html").contains("0001-notify");

        // the ci_failed / needs_input webhook heard nothing: no such event happened
        assertThat(HOOKS.on(ciOnlyPath)).isEmpty();
        JsonNode log = deliveries(http, projectId);
        for (JsonNode d : log) {
            assertThat(d.path("kind").asText()).isEqualTo("protocol_completed");
            assertThat(d.path("attempts").asInt()).isEqualTo(1);
        }

        // secrets and URL paths: never in an answer, an event or a log line
        String answers = http.get("/projects/" + projectId).body() + log + http.get("/events?project_id=" + projectId
                + "&limit=500").body() + http.get("/projects").body();
        assertThat(output.getAll()).contains("delivered to webhook 127.0.0.1"); // the log is captured: the check below bites
        for (String hidden : List.of(secret, hookPath, slackPath, ciOnlyPath)) {
            assertThat(answers).doesNotContain(hidden);
            assertThat(output.getAll()).doesNotContain(hidden);
        }
        JsonNode shown = http.get("/projects/" + projectId).json().path("notifications");
        assertThat(shown.get(0).path("host").asText()).isEqualTo("127.0.0.1");
        assertThat(shown.get(0).path("secret_set").asBoolean()).isTrue();
        assertThat(shown.get(2).path("to").get(0).asText()).isEqualTo(to);
    }

    private static boolean allDelivered(JsonNode items) {
        for (JsonNode d : items) {
            if (!d.path("status").asText().equals("delivered")) return false;
        }
        return true;
    }

    @Test
    void aReceiverAnswering500TwiceGetsOneAcceptedDeliveryWithAStableId() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Http http = http();
        String secret = secret();
        String flaky = path("flaky");
        HOOKS.answer(500, -1).answer(503, 1);
        long projectId = readyProject(http, origin("flaky"),
                Map.of("notifications", List.of(webhook(HOOKS.url(flaky), secret, "protocol_completed")))).path("id").asLong();
        long id = protocol(http, projectId, "0002-flaky");
        reach(http, id, "completed");
        await().atMost(Duration.ofSeconds(60)).until(() -> allDelivered(deliveries(http, projectId))
                && deliveries(http, projectId).size() == 1);

        List<Receiver.Request> got = HOOKS.on(flaky);
        assertThat(got).extracting(Receiver.Request::answered).containsExactly(500, 503, 200);
        assertThat(got).extracting(r -> r.headers().get("webhook-id")).containsOnly(got.get(0).headers().get("webhook-id"));
        for (Receiver.Request r : got) {
            assertThat(IndependentWebhookVerifier.verifies(secret, r.headers(), r.body())).isTrue();
        }
        JsonNode d = deliveries(http, projectId).get(0);
        assertThat(d.path("attempts").asInt()).isEqualTo(3);
        assertThat(d.path("message_id").asText()).isEqualTo(got.get(0).headers().get("webhook-id"));
        assertThat(d.path("last_error").isNull()).isTrue();
    }

    @Test
    void aDeadReceiverNeverSlowsTheProtocolAndIsDeadLettered() {
        // QA fails: the protocol blocks (protocol_blocked → the dead receiver, whose connection hangs), then a
        // person approves the step and the protocol completes while that delivery still waits for an answer
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-fail\"},\"steps\":1}");
        Http http = http();
        String live = path("live");
        long projectId = readyProject(http, origin("dead"), Map.of("notifications", List.of(
                webhook(DEAD.url(), secret(), "protocol_blocked"),
                webhook(HOOKS.url(live), secret(), "protocol_completed")))).path("id").asLong();
        long id = protocol(http, projectId, "0003-dead");
        reach(http, id, "blocked");
        await().atMost(Duration.ofSeconds(30)).until(() -> !DEAD.accepted.isEmpty()); // its first attempt hangs
        long step = http.get("/protocols/" + id + "/steps").json().path("items").get(0).path("id").asLong();
        assertThat(http.post("/steps/" + step + "/actions/approve", null).status()).isEqualTo(202);
        reach(http, id, "completed");
        // the dead channel's first attempt is still waiting for its answer: the protocol did not wait for it
        JsonNode dead = deadDelivery(http, projectId);
        assertThat(dead.path("status").asText()).isEqualTo("pending");
        assertThat(dead.path("attempts").asInt()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> HOOKS.on(live).size() == 1);

        // attempts used up: dead-lettered with the error, nothing changed on the protocol
        await().atMost(Duration.ofSeconds(90)).until(() -> deadDelivery(http, projectId).path("status").asText().equals("failed"));
        JsonNode failed = deadDelivery(http, projectId);
        assertThat(failed.path("attempts").asInt()).isEqualTo(3);
        assertThat(failed.path("last_error").asText()).contains("unreachable");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("completed");
    }

    /**
     * The people-in-the-loop events reach a person: a plan awaiting approval ({@code plan_ready}) and an agent's
     * question ({@code agent_question}) are each a signed {@code needs_input} webhook, then the completion.
     */
    @Test
    void aPlanAwaitingApprovalAndAnAgentsQuestionAreNeedsInput() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":[\"exec-question\",\"exec-nocommit\"],\"qa\":\"qa-pass\"},"
                + "\"steps\":1}");
        Http http = http();
        String secret = secret();
        String people = path("people");
        long projectId = readyProject(http, origin("people"), Map.of("plan_approval", "required", "notifications",
                List.of(webhook(HOOKS.url(people), secret, "needs_input", "protocol_completed")))).path("id").asLong();
        long id = protocol(http, projectId, "0004-people");
        await().atMost(Duration.ofSeconds(120)).until(() -> HOOKS.on(people).size() == 1);
        assertThat(JSON.readTree(HOOKS.on(people).get(0).body()).path("data").path("event").path("type").asText())
                .isEqualTo("plan_ready");
        assertThat(http.post("/protocols/" + id + "/actions/approve_plan", null).status()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(120)).until(() -> HOOKS.on(people).size() == 2);
        JsonNode question = JSON.readTree(HOOKS.on(people).get(1).body()).path("data");
        assertThat(question.path("event").path("type").asText()).isEqualTo("agent_question");
        long stepId = question.path("step").path("id").asLong();
        assertThat(stepId).isPositive();
        assertThat(http.post("/steps/" + stepId + "/actions/answer", Map.of("text", "e-mail only")).status()).isEqualTo(202);
        reach(http, id, "completed");

        await().atMost(Duration.ofSeconds(60)).until(() -> HOOKS.on(people).size() == 3);
        List<Receiver.Request> got = HOOKS.on(people);
        List<String> kinds = new ArrayList<>();
        for (Receiver.Request r : got) {
            assertThat(IndependentWebhookVerifier.verifies(secret, r.headers(), r.body())).isTrue();
            kinds.add(JSON.readTree(r.body()).path("data").path("kind").asText());
        }
        assertThat(kinds).containsExactly("needs_input", "needs_input", "protocol_completed");
        assertThat(got).extracting(r -> r.headers().get("webhook-id")).doesNotHaveDuplicates();
    }

    private JsonNode deadDelivery(Http http, long projectId) {
        for (JsonNode d : deliveries(http, projectId)) {
            if (d.path("kind").asText().equals("protocol_blocked")) return d;
        }
        throw new AssertionError("no protocol_blocked delivery: " + deliveries(http, projectId));
    }

    /** Accepts connections and never answers (a receiver that hangs). */
    static final class DeadReceiver implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        DeadReceiver() throws IOException {
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "dead-receiver");
            t.setDaemon(true);
            t.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/dead";
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) s.close();
        }
    }
}
