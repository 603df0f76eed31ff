package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deksdenflow.orchestrator.engine.AgentSandbox;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.RealCliFlowBase;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The real Codex CLI, in bubblewrap, whose QA turn replaces its own answer file
 * ({@code --output-last-message}) with a link to the service's secrets key. Codex 0.171 notices the swap
 * itself ("output path was replaced") and fails; the service records that as tampering ({@code unsafe_path},
 * no retry), and the key reaches no report, event or commit. (A link planted after Codex wrote the file, which
 * a live real CLI cannot be made to do on cue, is {@code HostileCodexAnswerFlowTest}'s case: the service's
 * own no-follow read refuses it.)
 */
@TestPropertySource(properties = "deksdenflow.auto-qa-after-exec=true")
class RealCliHostileAnswerTest extends RealCliFlowBase {

    @Autowired
    AgentSandbox sandbox;

    @Test
    void codexsAnswerFileLinkedToTheSecretsKeyIsNeverFollowed() throws Exception {
        assumeTrue(sandbox.kind() == AgentSandbox.Kind.BWRAP, "bubblewrap is not installed here");
        Path key = contextDir.resolve("db.sqlite.key");
        assertThat(key).exists();
        String keyText = Files.readString(key).strip();
        // the run's scratch folder is the one deksdenflow-run-* the sandbox shows under its private /tmp
        MODEL.qaCommand("for d in /tmp/deksdenflow-run-*; do ln -sf '" + key + "' \"$d/last-message\" "
                + "&& echo planted \"$d/last-message\"; done");
        Http http = http();
        String url = origin("codex-answer-link");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", "0001-answer-link",
                "engine", "codex", "auto_advance", true)).json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "blocked");

        // the link was really planted by Codex's own command in the QA run
        assertThat(toolOutputs(MODEL.modelRequests("qa").get(1)).get(0)).contains("planted /tmp/deksdenflow-run-");
        // Codex notices the swap itself and fails; the service records it as tampering, never retried
        assertThat(event(http, id, "unsafe_path").path("message").asText()).contains("last-message");
        assertThat(eventTypes(http, id)).doesNotContain("job_retry");
        assertThat(http.get("/protocols/" + id + "/events?limit=500").body()).doesNotContain(keyText);
        assertThat(http.get("/protocols/" + id + "/steps").body()).doesNotContain(keyText);
        String files = TestRepos.gitBare(TestRepos.originPath(url), "log", "-p", "0001-answer-link");
        assertThat(files).doesNotContain(keyText);
    }
}
