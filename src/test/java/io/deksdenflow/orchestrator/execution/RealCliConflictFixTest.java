package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.forge.github.GithubForge;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.ModelStandIn;
import io.deksdenflow.orchestrator.testsupport.RealCliFlowBase;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A conflict fix turn (issue #23) with the real Codex CLI and the real Claude Code, each against the model stand-in
 * and inside the service's agent sandbox: a protocol's step wrote a file, a person pushes a different version of it
 * to the base branch, GitHub's {@code push} webhook arrives, the service's merge stops with conflicts, the CLI's turn
 * rewrites the file without markers (the stand-in model tells it to run one command), and the service commits the
 * merge and pushes it. The turns are counted from the stand-in's own log.
 */
@TestPropertySource(properties = "deksdenflow.webhook-token=" + RealCliConflictFixTest.SECRET)
class RealCliConflictFixTest extends RealCliFlowBase {
    static final String SECRET = "real-cli-conflict-secret";

    @Test
    void codexResolvesAConflictWithTheBaseAndTheMergeIsPushed() throws Exception {
        resolvesAConflict("codex", "src/hello-codex.txt", "hello from codex");
    }

    @Test
    void claudeResolvesAConflictWithTheBaseAndTheMergeIsPushed() throws Exception {
        resolvesAConflict("claude", "src/hello-claude.txt", "hello from claude");
    }

    private void resolvesAConflict(String engine, String file, String ours) throws Exception {
        Http http = http();
        String owner = "conflict-" + engine;
        String url = origin(owner);
        String branch = "0001-greeting";
        long project = readyProject(http, url, Map.of()).path("id").asLong();
        long id = http.post("/projects/" + project + "/protocols", Map.of("protocol_name", branch,
                "description", "Add a greeting", "engine", engine)).json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        awaitProtocol(http, id, "planned");
        http.post("/protocols/" + id + "/actions/run_next_step", null);
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() ->
                TestRepos.gitBare(TestRepos.originPath(url), "show", branch + ":" + file).contains(ours));
        await().atMost(Duration.ofSeconds(30)).until(() -> !http.get("/protocols/" + id + "/steps").json()
                .path("items").get(0).path("status").asText().equals("running"));
        String before = head(url, branch);

        String main = pushToMain(url, file, "the base's greeting\n");
        MODEL.conflictCommand("printf '" + ours + "\\nthe base greeting, kept\\n' > " + file);
        byte[] body = BaseSyncFlowTest.push(owner, main);
        Http.Response r = http.postBytes("/webhooks/github", body, Map.of("X-GitHub-Event", "push",
                "X-GitHub-Delivery", UUID.randomUUID().toString(),
                "X-Hub-Signature-256", GithubForge.signature(SECRET, body)));
        assertThat(r.status()).as(r.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(150)).until(() -> eventTypes(http, id).contains("base_synced")
                || eventTypes(http, id).contains("protocol_blocked"));
        assertThat(eventTypes(http, id)).as("events").contains("base_conflict", "conflict_fix_started", "base_synced")
                .doesNotContain("conflict_fix_failed", "protocol_blocked");
        assertThat(event(http, id, "base_conflict").path("metadata").path("files").get(0).asText()).isEqualTo(file);
        JsonNode synced = event(http, id, "base_synced").path("metadata");
        assertThat(synced.path("from").asText()).isEqualTo(before);
        assertThat(synced.path("to").asText()).isEqualTo(head(url, branch));
        assertThat(synced.path("resolved_files").get(0).asText()).isEqualTo(file);

        // on origin: the CLI's resolution, no marker, a merge commit with both sides as parents
        String resolved = TestRepos.gitBare(TestRepos.originPath(url), "show", branch + ":" + file);
        assertThat(resolved).isEqualTo(ours + "\nthe base greeting, kept\n");
        String parents = TestRepos.gitBare(TestRepos.originPath(url), "log", "-1", "--format=%P", branch).strip();
        assertThat(List.of(parents.split(" "))).containsExactlyInAnyOrder(before, main);

        // the stand-in's own log: one conflict turn (the command, then the summary after its output), whose
        // prompt named the file and both sides' commits
        List<ModelStandIn.Request> turn = MODEL.modelRequests("conflict");
        assertThat(turn).hasSize(2);
        assertThat(turn.get(0).text()).contains(file).contains("base: change " + file);
        if (engine.equals("codex")) {
            assertThat(toolOutputs(turn.get(1))).singleElement().asString().contains("Process exited with code 0");
        }
        // the turn is the step's exec engine's, recorded as a run with its log
        assertThat(synced.path("engine").asText()).isEqualTo(engine);
        assertThat(http.get("/runs/" + synced.path("run_id").asLong() + "/log").status()).isEqualTo(200);
    }

    private static String head(String url, String ref) {
        return TestRepos.gitBare(TestRepos.originPath(url), "rev-parse", ref).strip();
    }

    private static String pushToMain(String url, String file, String text) {
        return TestRepos.pushToMain(ROOT, url, file, text);
    }
}
