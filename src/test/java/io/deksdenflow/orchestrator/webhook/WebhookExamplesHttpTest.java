package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.CiLoopStore;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Every example GitHub publishes ({@code @octokit/webhooks-examples} 7.6.1, see
 * {@code webhooks/octokit/NOTE.md}) and every file of GitLab's documented payloads
 * ({@code webhooks/gitlab-docs/}), posted signed to the running service. Each CI or PR/MR example
 * gets a project on its own repository and a running protocol whose branch the example names (a
 * {@code status} lists it after {@code master}); the expected answer and effect come from the
 * issue's table, written here independently of the translators. Nothing answers 5xx.
 */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + WebhookExamplesHttpTest.SECRET})
class WebhookExamplesHttpTest extends WebhookTestSupport {
    static final String SECRET = "examples-secret";
    static final String BRANCH = "0001-ci";
    static final String OCTOKIT = "/webhooks/octokit/webhooks-examples-7.6.1.json.gz";

    @Autowired
    CiLoopStore ciLoop;

    static Stream<Arguments> githubExamples() throws IOException {
        JsonNode all;
        try (InputStream in = new GZIPInputStream(WebhookExamplesHttpTest.class.getResourceAsStream(OCTOKIT))) {
            all = Fixtures.MAPPER.readTree(in);
        }
        List<Arguments> out = new ArrayList<>();
        for (JsonNode event : all) {
            int i = 0;
            for (JsonNode example : event.get("examples")) {
                out.add(Arguments.of(event.get("name").asText() + "#" + i++, example));
            }
        }
        assertThat(out).hasSizeGreaterThan(300);
        return out.stream();
    }

    /** What the issue says a GitHub example does: the event type recorded, or null for "202 ignored". */
    static String expectedGithub(String event, JsonNode p) {
        return switch (event) {
            case "workflow_run" -> byWord(word(p.get("workflow_run")));
            case "check_suite" -> byWord(word(p.get("check_suite")));
            case "check_run" -> byWord(word(p.get("check_run")));
            case "status" -> byWord(p.get("state").asText());
            case "pull_request" -> switch (p.get("action").asText()) {
                case "opened", "reopened", "ready_for_review" -> "pr_opened";
                case "closed" -> p.get("pull_request").path("merged").asBoolean() ? "pr_merged" : "pr_closed";
                case "synchronize" -> "pr_updated";
                default -> null;
            };
            default -> null;
        };
    }

    private static String word(JsonNode run) {
        return run.path("conclusion").isTextual() ? run.get("conclusion").asText() : run.get("status").asText();
    }

    static String byWord(String w) {
        return switch (w) {
            case "success", "neutral" -> "ci_passed";
            case "failure", "timed_out", "error", "failed" -> "ci_failed";
            case "cancelled", "canceled" -> "ci_cancelled";
            case "skipped", "stale" -> "ci_skipped";
            case "action_required" -> "ci_action_required";
            default -> "ci_running";
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("githubExamples")
    void everyGithubExample(String name, JsonNode example) {
        String event = name.substring(0, name.indexOf('#'));
        ObjectNode p = example.deepCopy();
        String expected = expectedGithub(event, p);
        if (expected == null) {
            Http.Response r = github(event, bytes(p), SECRET);
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json().get("status").asText()).isEqualTo("ignored");
            return;
        }
        String repo = "ex-" + UUID.randomUUID().toString().substring(0, 8) + "/demo";
        ((ObjectNode) p.get("repository")).put("full_name", repo);
        String sha = pointBranchAt(event, p);
        long project = createProject(api(), Map.of("git_url", "https://github.com/" + repo + ".git",
                "ci_provider", "github")).get("id").asLong();
        ProtocolRun run = runningProtocol(project, BRANCH);
        StepRun step = executedStep(run, 0, sha);
        ciLoop.setHead(run.id(), sha);

        Http.Response r = github(event, bytes(p), SECRET);

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).as(r.body()).isEqualTo("accepted");
        assertThat(r.json().get("results").get(0).get("protocol_run_id").asLong()).isEqualTo(run.id());
        assertEffect(run, step, expected);
        if (event.equals("status")) {
            // the protocol's branch is listed second: the event names it, not the first branch containing the commit
            assertThat(lastEvent(run.id(), expected).get("metadata").path("branch").asText()).isEqualTo(BRANCH);
        }
    }

    /** Names the protocol's branch where the example names one; returns the commit it reports. */
    private static String pointBranchAt(String event, ObjectNode p) {
        switch (event) {
            case "workflow_run" -> {
                ((ObjectNode) p.get("workflow_run")).put("head_branch", BRANCH);
                return p.get("workflow_run").get("head_sha").asText();
            }
            case "check_suite" -> {
                ((ObjectNode) p.get("check_suite")).put("head_branch", BRANCH);
                return p.get("check_suite").get("head_sha").asText();
            }
            case "check_run" -> {
                ((ObjectNode) p.get("check_run").get("check_suite")).put("head_branch", BRANCH);
                return p.get("check_run").get("head_sha").asText();
            }
            case "status" -> {
                // GitHub lists the branches containing the commit in no order: the protocol's comes second
                ArrayNode branches = (ArrayNode) p.get("branches");
                ObjectNode ours = Fixtures.MAPPER.createObjectNode().put("name", BRANCH);
                branches.insert(Math.min(1, branches.size()), ours);
                assertThat(branches.get(0).get("name").asText()).isEqualTo("master");
                return p.get("sha").asText();
            }
            default -> {
                ((ObjectNode) p.get("pull_request").get("head")).put("ref", BRANCH);
                return p.get("pull_request").get("head").get("sha").asText();
            }
        }
    }

    private void assertEffect(ProtocolRun run, StepRun step, String expected) {
        JsonNode e = lastEvent(run.id(), expected);
        // ci_failed blocks the protocol: a protocol event naming the step in its metadata
        JsonNode stepId = expected.equals("ci_failed") ? e.get("metadata").get("step_run_id") : e.get("step_run_id");
        assertThat(stepId.asLong()).isEqualTo(step.id());
        JsonNode url = e.get("metadata").get("url");
        if (url != null) {
            assertThat(url.asText()).as("a page a person can open").startsWith("http")
                    .doesNotStartWith("https://api.github.com").doesNotContain("/api/v4/");
        }
        switch (expected) {
            case "ci_failed" -> {
                assertThat(protocolStatus(run.id())).isEqualTo("blocked");
                assertThat(stepStatus(step.id())).isEqualTo("blocked");
            }
            case "pr_merged" -> assertThat(protocolStatus(run.id())).isEqualTo("completed");
            default -> {
                // passed without auto QA, running, cancelled, skipped, action required, PR opened/closed/updated
                assertThat(protocolStatus(run.id())).isEqualTo("running");
                assertThat(stepStatus(step.id())).isEqualTo("needs_qa");
                assertThat(eventTypes(run.id())).doesNotContain("ci_failed", "step_blocked", "protocol_blocked");
            }
        }
    }

    static Stream<Arguments> gitlabFiles() throws IOException, URISyntaxException {
        Path dir = Path.of(WebhookExamplesHttpTest.class.getResource("/webhooks/gitlab-docs").toURI());
        JsonNode index = Fixtures.MAPPER.readTree(dir.resolve("index.json").toFile());
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (file.equals("NOTE.md")) continue;
                String header = index.has(file) ? index.get(file).asText()
                        : file.startsWith("job.") ? "Job Hook" : null;
                out.add(Arguments.of(file, header, Files.readAllBytes(f)));
            }
        }
        assertThat(out).hasSize(12);
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gitlabFiles")
    void everyGitlabDocumentedPayload(String file, String header, byte[] body) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (header != null) headers.put("X-Gitlab-Event", header);
        headers.put("X-Gitlab-Token", SECRET);
        headers.put("X-Gitlab-Event-UUID", UUID.randomUUID().toString());
        if (file.endsWith(".txt")) {
            // the doc's text has // comments: not JSON
            Http.Response r = http().postBytes("/webhooks/gitlab", body, headers);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().get("error").get("code").asText()).isEqualTo("bad_request");
            return;
        }
        ObjectNode p = (ObjectNode) Fixtures.MAPPER.readTree(body);
        String expected = switch (String.valueOf(header)) {
            case "Pipeline Hook" -> byWord(p.get("object_attributes").get("status").asText());
            case "Job Hook" -> byWord(p.get("build_status").asText());
            case "Merge Request Hook" -> "pr_opened"; // action "open"
            default -> null;
        };
        assertThat(p.path("object_attributes").path("action").asText(p.path("object_kind").asText()))
                .isNotEqualTo("merge"); // the MR example is an open: merged/closed are covered by WebhookHttpTest
        if (expected == null) {
            Http.Response r = http().postBytes("/webhooks/gitlab", body, headers);
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json().get("status").asText()).isEqualTo("ignored");
            return;
        }
        String repo = "ex-" + UUID.randomUUID().toString().substring(0, 8) + "/group/demo";
        ((ObjectNode) p.get("project")).put("path_with_namespace", repo);
        String sha;
        switch (header) {
            case "Pipeline Hook" -> {
                ((ObjectNode) p.get("object_attributes")).put("ref", BRANCH);
                sha = p.get("object_attributes").get("sha").asText();
            }
            case "Job Hook" -> {
                p.put("ref", BRANCH);
                sha = p.get("sha").asText();
            }
            default -> {
                ((ObjectNode) p.get("object_attributes")).put("source_branch", BRANCH);
                sha = p.get("object_attributes").get("last_commit").get("id").asText();
            }
        }
        long project = createProject(api(), Map.of("git_url", "https://gitlab.example.com/" + repo + ".git",
                "ci_provider", "gitlab")).get("id").asLong();
        ProtocolRun run = runningProtocol(project, BRANCH);
        StepRun step = executedStep(run, 0, sha);
        ciLoop.setHead(run.id(), sha);

        Http.Response r = http().postBytes("/webhooks/gitlab", bytes(p), headers);

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).as(r.body()).isEqualTo("accepted");
        assertEffect(run, step, expected);
    }

    private static byte[] bytes(JsonNode p) {
        try {
            return Fixtures.MAPPER.writeValueAsString(p).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
