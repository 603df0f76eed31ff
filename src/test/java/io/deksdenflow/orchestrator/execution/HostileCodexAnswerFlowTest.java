package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;

/**
 * A hostile Codex (the stand-in as the codex CLI) replaces its {@code --output-last-message} file,
 * which the service reads after the run: a link to a secret, to {@code /proc/self/environ} or to
 * {@code /dev/zero}, a FIFO, or a huge file. The service never follows the link, never blocks on
 * the FIFO and never reads more than {@code DEKSDENFLOW_AGENT_OUTPUT_MAX_BYTES}.
 */
@TestPropertySource(properties = "deksdenflow.auto-qa-after-exec=true")
class HostileCodexAnswerFlowTest extends FlowTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private long startProtocol(Http http, long projectId, String name) {
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name, "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return id;
    }

    /** Everything the API and origin say about the protocol, to search for a leaked secret. */
    private String everything(Http http, long id, String url, String branch) {
        return http.get("/protocols/" + id + "/events?limit=500").body()
                + http.get("/protocols/" + id + "/steps").body()
                + TestRepos.gitBare(TestRepos.originPath(url), "log", "-p", branch);
    }

    @ParameterizedTest
    @ValueSource(strings = {"secret", "/proc/self/environ", "/dev/zero"})
    void aLinkedAnswerFileIsNeverFollowed(String kind) throws Exception {
        String secret = "SECRET-MARKER-" + System.nanoTime();
        Path target = Path.of(kind);
        if (kind.equals("secret")) {
            target = ROOT.resolve("secret-" + System.nanoTime() + ".key");
            Files.writeString(target, secret + "\n");
        }
        agentScript(JSON.writeValueAsString(Map.of("modes",
                Map.of("planning", "plan", "exec", "exec-nocommit", "qa", "qa-answer-link"), "steps", 1,
                "target", target.toString())));
        Http http = http();
        String url = origin("answer-link-" + kind.replace('/', '-'));
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        String name = "0001-answer-link";
        long id = startProtocol(http, projectId, name);
        awaitProtocol(http, id, "blocked");

        String all = everything(http, id, url, name);
        assertThat(all).doesNotContain(secret, "DEKSDENFLOW_", "PATH=");
        JsonNode unsafe = event(http, id, "unsafe_path");
        assertThat(unsafe.path("message").asText()).contains("last-message").contains("symbolic link");
        assertThat(eventTypes(http, id)).contains("job_failed").doesNotContain("job_retry", "qa_verdict");
    }

    @Test
    void aFifoInPlaceOfTheAnswerFailsTheRunPromptly() throws Exception {
        agentScript(JSON.writeValueAsString(Map.of("modes",
                Map.of("planning", "plan", "exec", "exec-nocommit", "qa", "qa-answer-fifo"), "steps", 1)));
        Http http = http();
        String url = origin("answer-fifo");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        Instant started = Instant.now();
        long id = startProtocol(http, projectId, "0001-answer-fifo");
        awaitProtocol(http, id, "blocked");

        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(90));
        assertThat(event(http, id, "unsafe_path").path("message").asText()).contains("not a regular file");
        assertThat(eventTypes(http, id)).doesNotContain("job_retry");
    }

    @Test
    void aHugeAnswerIsCutAtTheCap() throws Exception {
        agentScript(JSON.writeValueAsString(Map.of("modes",
                Map.of("planning", "plan", "exec", "exec-nocommit", "qa", "qa-answer-huge"), "steps", 1, "huge_kib", 3072)));
        Http http = http();
        String url = origin("answer-huge");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = startProtocol(http, projectId, "0001-answer-huge");
        awaitProtocol(http, id, "completed");

        String report = TestRepos.gitBare(TestRepos.originPath(url), "show",
                "0001-answer-huge:.protocols/0001-answer-huge/00-setup.qa.md");
        assertThat(report).contains("Verdict", "answer cut at 1048576 of");
        assertThat(report.length()).isLessThan(1024 * 1024 + 4096);
    }
}
