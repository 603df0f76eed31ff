package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.github.GithubForge;
import io.deksdenflow.orchestrator.forge.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.common.Transactions;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.testsupport.TestTransitions;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Helpers for the webhook HTTP tests: projects on a repository of their own (the fixtures'
 * repository names are rewritten per test so that tests sharing the database never see each
 * other's runs), protocol runs and executed steps put into their status by {@link TestTransitions}, signed
 * deliveries.
 */
abstract class WebhookTestSupport extends ApiTestBase {
    static final String GH_REPO = "Acme/demo";
    static final String GL_REPO = "acme/platform/demo";

    @Autowired
    ProtocolStore protocols;
    @Autowired
    StepStore steps;
    @Autowired
    Transactions tx;
    @Autowired
    MeterRegistry meters;

    /** Authorization for the REST API when the test class sets an API token. */
    protected Http api() {
        return http();
    }

    /** A unique repository suffix; {@link #payload} rewrites the fixture's repository with it. */
    static String repoSuffix() {
        return "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    JsonNode githubProject(String suffix, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("git_url", "https://github.com/" + GH_REPO + suffix + ".git");
        body.put("ci_provider", "github");
        return createProject(api(), body);
    }

    JsonNode gitlabProject(String suffix, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(extra);
        body.put("git_url", "git@gitlab.example.com:" + GL_REPO + suffix + ".git");
        body.put("ci_provider", "gitlab");
        return createProject(api(), body);
    }

    /** The fixture with its repository renamed by {@code suffix} (every URL form and full name). */
    static byte[] payload(String fixture, String suffix) {
        String text = new String(Fixtures.bytes(fixture), StandardCharsets.UTF_8)
                .replace(GH_REPO, GH_REPO + suffix).replace(GL_REPO, GL_REPO + suffix);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A protocol run moved to running through the table (start → planning → planned → running). */
    ProtocolRun runningProtocol(long projectId, String name) {
        long id = createProtocol(api(), projectId, name).get("id").asLong();
        return tx.inTx(() -> {
            return TestTransitions.running(protocols, protocols.get(id));
        });
    }

    /** A step that ran and produced {@code sha} (now needs_qa), executed after every earlier one. */
    StepRun executedStep(ProtocolRun p, int index, String sha) {
        Http.Response r = api().post("/protocols/" + p.id() + "/steps",
                Map.of("step_index", index, "step_name", String.format("%02d-step.md", index), "step_type", "work"));
        if (r.status() != 201) throw new AssertionError("create step: " + r.status() + " " + r.body());
        long stepId = r.json().get("id").asLong();
        return tx.inTx(() -> {
            StepRun s = TestTransitions.step(steps, steps.get(stepId), StepAction.RUN);
            s = TestTransitions.step(steps, s, StepAction.EXEC_DONE);
            steps.markExecuted(s.id(), sha, protocols.nextExecSeq(p.id()));
            return steps.get(s.id());
        });
    }

    Http.Response github(String event, byte[] body, String secret) {
        return github(event, body, secret, UUID.randomUUID().toString(), "");
    }

    Http.Response github(String event, byte[] body, String secret, String delivery, String query) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-GitHub-Event", event);
        if (delivery != null) headers.put("X-GitHub-Delivery", delivery);
        if (secret != null) headers.put("X-Hub-Signature-256", GithubForge.signature(secret, body));
        return http().postBytes("/webhooks/github" + query, body, headers);
    }

    Http.Response gitlab(String event, byte[] body, String token) {
        return gitlab(event, body, token, UUID.randomUUID().toString());
    }

    Http.Response gitlab(String event, byte[] body, String token, String delivery) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Gitlab-Event", event);
        headers.put("X-Gitlab-Event-UUID", delivery);
        if (token != null) headers.put("X-Gitlab-Token", token);
        return http().postBytes("/webhooks/gitlab", body, headers);
    }

    /** The run's events, oldest first. */
    List<JsonNode> events(long protocolRunId) {
        Http.Response r = api().get("/protocols/" + protocolRunId + "/events?limit=500");
        if (r.status() != 200) throw new AssertionError("events: " + r.status() + " " + r.body());
        List<JsonNode> out = new ArrayList<>();
        r.json().get("items").forEach(out::add);
        java.util.Collections.reverse(out);
        return out;
    }

    List<String> eventTypes(long protocolRunId) {
        return events(protocolRunId).stream().map(e -> e.get("event_type").asText()).toList();
    }

    JsonNode lastEvent(long protocolRunId, String type) {
        List<JsonNode> all = events(protocolRunId);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).get("event_type").asText().equals(type)) return all.get(i);
        }
        throw new AssertionError("no " + type + " event in " + eventTypes(protocolRunId));
    }

    String protocolStatus(long id) {
        return api().get("/protocols/" + id).json().get("status").asText();
    }

    String stepStatus(long id) {
        return api().get("/steps/" + id).json().get("status").asText();
    }

    double webhookCount(String provider, String outcome) {
        Counter c = meters.find(WebhookMetrics.NAME).tag("provider", provider).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }
}
