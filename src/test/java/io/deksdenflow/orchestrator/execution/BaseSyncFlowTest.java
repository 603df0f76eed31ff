package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.deksdenflow.orchestrator.forge.Fixtures;
import io.deksdenflow.orchestrator.forge.github.GithubForge;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Protocols that stay mergeable (issue #23), whole: GitHub's published {@code push} and {@code pull_request} payloads
 * (adjusted in repository, ref and head only), signed, into the running service with workers, a real bare origin
 * over file:// and the stand-in agent. The base moves cleanly → merged and pushed; a conflicting base change → a
 * conflict fix turn → the resolved merge on origin; a conflict the agent leaves → blocked naming the files; two
 * protocols touching the same file → synced one after the other, the older first; a PR GitHub calls dirty and an
 * open_pr sync the same way.
 */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + BaseSyncFlowTest.SECRET})
class BaseSyncFlowTest extends FlowTestBase {
    static final String SECRET = "base-sync-secret";
    static final List<String> PULLS = new CopyOnWriteArrayList<>();
    static final HttpServer GITHUB = start();

    static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/gh/", ex -> {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                PULLS.add(ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " " + body);
                byte[] bytes = "{\"html_url\":\"https://github.com/sync6/origin/pull/61\",\"number\":61}".getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(201, bytes.length);
                ex.getResponseBody().write(bytes);
                ex.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void forge(DynamicPropertyRegistry r) {
        r.add("deksdenflow.github.api-base", () -> "http://127.0.0.1:" + GITHUB.getAddress().getPort() + "/gh");
    }

    @AfterAll
    static void stop() {
        GITHUB.stop(0);
    }

    // ---------------------------------------------------------------- helpers

    /** A protocol whose one step ran (the stand-in wrote and the service pushed stand-in-0.txt to its branch). */
    private long executedProtocol(Http http, long project, String name) {
        long id = http.post("/projects/" + project + "/protocols", Map.of("protocol_name", name)).json().path("id").asLong();
        http.post("/protocols/" + id + "/actions/start", null);
        awaitProtocol(http, id, "planned");
        http.post("/protocols/" + id + "/actions/run_next_step", null);
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() ->
                !TestRepos.gitBare(TestRepos.originPath(url), "ls-tree", "--name-only", name, "stand-in-0.txt").isBlank());
        await().atMost(Duration.ofSeconds(30)).until(() -> !http.get("/protocols/" + id + "/steps").json().path("items").get(0)
                .path("status").asText().equals("running"));
        return id;
    }

    private long project(Http http, String owner, Map<String, Object> extra) {
        return readyProject(http, origin(owner), extra).path("id").asLong();
    }

    private static String pushToMain(String url, String file, String text) {
        return TestRepos.pushToMain(ROOT, url, file, text);
    }

    private static String head(String url, String ref) {
        return TestRepos.gitBare(TestRepos.originPath(url), "rev-parse", ref).strip();
    }

    private static boolean contains(String url, String ancestor, String ref) {
        try {
            TestRepos.gitBare(TestRepos.originPath(url), "merge-base", "--is-ancestor", ancestor, ref);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void repository(ObjectNode p, String owner) {
        ObjectNode repo = (ObjectNode) p.path("repository");
        repo.put("full_name", owner + "/origin");
        repo.put("name", "origin");
        repo.put("clone_url", "https://github.com/" + owner + "/origin.git");
        repo.put("html_url", "https://github.com/" + owner + "/origin");
        repo.put("ssh_url", "git@github.com:" + owner + "/origin.git");
        repo.put("git_url", "git://github.com/" + owner + "/origin.git");
    }

    /** GitHub's {@code push} example, for branch {@code main} of {@code owner/origin} moved to {@code after}. */
    static byte[] push(String owner, String after) {
        ObjectNode p = Fixtures.octokit("push", "");
        p.put("ref", "refs/heads/main");
        p.put("after", after);
        p.put("deleted", false);
        repository(p, owner);
        return p.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** GitHub's {@code pull_request.labeled} example, the PR from {@code branch} open and {@code dirty}. */
    static byte[] dirtyPullRequest(String owner, String branch, long number) {
        ObjectNode p = Fixtures.octokit("pull_request", "labeled");
        ObjectNode pr = (ObjectNode) p.path("pull_request");
        pr.put("state", "open");
        pr.put("number", number);
        pr.put("mergeable", false);
        pr.put("mergeable_state", "dirty");
        ((ObjectNode) pr.path("head")).put("ref", branch);
        repository(p, owner);
        return p.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Http.Response deliver(String event, byte[] body) {
        return http().postBytes("/webhooks/github", body, Map.of("X-GitHub-Event", event, "X-GitHub-Delivery",
                UUID.randomUUID().toString(), "X-Hub-Signature-256", GithubForge.signature(SECRET, body)));
    }

    private long eventId(Http http, long protocol, String type) {
        return event(http, protocol, type).path("id").asLong();
    }

    private static String fileOnOrigin(String url, String ref, String file) {
        return TestRepos.gitBare(TestRepos.originPath(url), "show", ref + ":" + file);
    }

    // ---------------------------------------------------------------- the proofs

    @Test
    void theBaseMovesWithoutConflictAndTheBranchIsMergedAndPushed() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\"},\"steps\":1}");
        Http http = http();
        long project = project(http, "sync1", Map.of());
        long id = executedProtocol(http, project, "0001-clean");
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String before = head(url, "0001-clean");
        String main = pushToMain(url, "README.md", "# demo\n\nmoved on\n");

        Http.Response r = deliver("push", push("sync1", main));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().path("results").get(0).path("protocol_run_id").asLong()).isEqualTo(id);

        await().atMost(Duration.ofSeconds(60)).until(() -> eventTypes(http, id).contains("base_synced"));
        JsonNode synced = event(http, id, "base_synced").path("metadata");
        String after = head(url, "0001-clean");
        assertThat(synced.path("from").asText()).isEqualTo(before);
        assertThat(synced.path("to").asText()).isEqualTo(after);
        assertThat(synced.path("mode").asText()).isEqualTo("merge");
        assertThat(contains(url, main, "0001-clean")).isTrue();
        assertThat(contains(url, before, "0001-clean")).isTrue();
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "log", "-1", "--format=%s%n%P", "0001-clean"))
                .startsWith("chore(sync): merge main into 0001-clean [protocol-0001]").contains(before).contains(main);
        assertThat(fileOnOrigin(url, "0001-clean", "README.md")).contains("moved on");
        assertThat(eventTypes(http, id)).doesNotContain("base_conflict");
    }

    @Test
    void aConflictingBaseChangeIsResolvedByAConflictFixTurnAndPushed() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":[\"exec-commit\",\"exec-resolve\"]},\"steps\":1}");
        Http http = http();
        long project = project(http, "sync2", Map.of());
        long id = executedProtocol(http, project, "0001-conflicted");
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String before = head(url, "0001-conflicted");
        String main = pushToMain(url, "stand-in-0.txt", "the base's version\n");

        deliver("push", push("sync2", main));
        await().atMost(Duration.ofSeconds(90)).until(() -> eventTypes(http, id).contains("base_synced"));
        assertThat(event(http, id, "base_conflict").path("metadata").path("files")).hasSize(1);
        assertThat(event(http, id, "base_conflict").path("metadata").path("files").get(0).asText()).isEqualTo("stand-in-0.txt");
        assertThat(eventTypes(http, id)).contains("conflict_fix_started").doesNotContain("conflict_fix_failed");
        JsonNode synced = event(http, id, "base_synced").path("metadata");
        assertThat(synced.path("from").asText()).isEqualTo(before);
        assertThat(synced.path("to").asText()).isEqualTo(head(url, "0001-conflicted"));
        assertThat(synced.path("resolved_files").get(0).asText()).isEqualTo("stand-in-0.txt");
        // the resolved merge on origin: both sides kept, no marker, both parents
        String resolved = fileOnOrigin(url, "0001-conflicted", "stand-in-0.txt");
        assertThat(resolved).contains("work 0").contains("the base's version").doesNotContain("<<<<<<<").doesNotContain(">>>>>>>");
        assertThat(contains(url, main, "0001-conflicted")).isTrue();
        assertThat(contains(url, before, "0001-conflicted")).isTrue();
        // the agent's prompt named the file and both sides' commits
        String prompt = lastPrompt("exec");
        assertThat(prompt).contains("`stand-in-0.txt`").contains("base: change stand-in-0.txt").contains("feat(0001-conflicted): 00-setup.md");
    }

    @Test
    void aConflictTheAgentDoesNotResolveBlocksTheProtocolNamingTheFiles() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":[\"exec-commit\",\"exec-leave-markers\"]},\"steps\":1}");
        Http http = http();
        long project = project(http, "sync3", Map.of());
        long id = executedProtocol(http, project, "0001-stuck");
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String before = head(url, "0001-stuck");
        String main = pushToMain(url, "stand-in-0.txt", "the base's version\n");

        deliver("push", push("sync3", main));
        JsonNode blocked = awaitProtocol(http, id, "blocked");
        assertThat(blocked.path("last_error").asText()).contains("stand-in-0.txt").contains("main");
        assertThat(event(http, id, "conflict_fix_failed").path("metadata").path("reason").asText())
                .contains("conflict markers are left in stand-in-0.txt");
        assertThat(event(http, id, "protocol_blocked").path("metadata").path("files").get(0).asText()).isEqualTo("stand-in-0.txt");
        assertThat(eventTypes(http, id)).doesNotContain("base_synced");
        // nothing half-done reached origin, and the worktree is not left mid-merge
        assertThat(head(url, "0001-stuck")).isEqualTo(before);
        Path worktree = worktreeOf(project, "0001-stuck");
        assertThat(TestRepos.git(worktree, "status", "--porcelain")).isBlank();
        assertThat(TestRepos.git(worktree, "rev-parse", "HEAD").strip()).isEqualTo(before);
    }

    @Test
    void aResolutionTheProjectsChecksFailIsNotPushed() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":[\"exec-commit\",\"exec-resolve\"]},\"steps\":1}");
        Http http = http();
        long project = project(http, "sync9", Map.of("checks", List.of(Map.of("name", "merge-check",
                "command", List.of("sh", "-c", "grep -q only-one-side stand-in-0.txt")))));
        long id = executedProtocol(http, project, "0001-checked");
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String before = head(url, "0001-checked");
        deliver("push", push("sync9", pushToMain(url, "stand-in-0.txt", "the base's version\n")));

        JsonNode blocked = awaitProtocol(http, id, "blocked");
        assertThat(blocked.path("last_error").asText()).contains("stand-in-0.txt");
        assertThat(event(http, id, "conflict_fix_failed").path("metadata").path("reason").asText())
                .contains("the project's checks failed").contains("merge-check");
        assertThat(eventTypes(http, id)).doesNotContain("base_synced");
        assertThat(head(url, "0001-checked")).isEqualTo(before);
    }

    @Test
    void twoProtocolsTouchingTheSameFileAreSyncedOneAfterTheOtherOldestFirst() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":[\"exec-commit\",\"exec-commit\",\"exec-resolve\",\"exec-resolve\"]},\"steps\":1}");
        Http http = http();
        long project = project(http, "sync4", Map.of());
        long older = executedProtocol(http, project, "0001-first");
        long newer = executedProtocol(http, project, "0002-second");
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String main = pushToMain(url, "stand-in-0.txt", "the base's version\n");

        Http.Response r = deliver("push", push("sync4", main));
        List<String> actions = new ArrayList<>();
        r.json().path("results").forEach(x -> actions.add(x.path("protocol_run_id").asLong() + ":" + x.path("action").asText()));
        assertThat(actions).containsExactly(older + ":sync_base", newer + ":sync_base_waiting");

        await().atMost(Duration.ofSeconds(120)).until(() -> eventTypes(http, newer).contains("base_synced"));
        assertThat(eventTypes(http, older)).contains("base_synced");
        // the newer protocol's sync began only after the older one's was pushed
        assertThat(eventId(http, older, "base_synced")).isLessThan(eventId(http, newer, "base_conflict"));
        assertThat(eventId(http, older, "base_conflict")).isLessThan(eventId(http, older, "base_synced"));
        for (String branch : List.of("0001-first", "0002-second")) {
            assertThat(contains(url, main, branch)).isTrue();
            assertThat(fileOnOrigin(url, branch, "stand-in-0.txt")).contains("the base's version").doesNotContain("<<<<<<<");
        }
    }

    @Test
    void aPullRequestGithubCallsDirtyIsSynced() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\"},\"steps\":1}");
        Http http = http();
        long project = project(http, "sync5", Map.of());
        long id = executedProtocol(http, project, "0001-dirty");
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String main = pushToMain(url, "other.txt", "base\n");

        Http.Response r = deliver("pull_request", dirtyPullRequest("sync5", "0001-dirty", 55));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().path("results").get(0).path("action").asText()).isEqualTo("sync_base");
        await().atMost(Duration.ofSeconds(60)).until(() -> eventTypes(http, id).contains("base_synced"));
        assertThat(contains(url, main, "0001-dirty")).isTrue();
        // the same PR when GitHub calls it clean: nothing to do
        ObjectNode clean = Fixtures.octokit("pull_request", "labeled");
        repository(clean, "sync5");
        Http.Response ignored = deliver("pull_request", clean.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(ignored.json().path("status").asText()).isEqualTo("ignored");
    }

    @Test
    void openPrSyncsABranchBehindItsBaseFirstAndASyncOffProjectIsLeftAlone() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\"},\"steps\":1}");
        Http http = http();
        long project = project(http, "sync6", Map.of("ci_provider", "github", "secrets", Map.of("GITHUB_TOKEN", "t-1")));
        long id = executedProtocol(http, project, "0001-pr");
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String main = pushToMain(url, "other.txt", "base\n");

        http.post("/protocols/" + id + "/actions/open_pr", null);
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/protocols/" + id).json().path("pr_url").isNull());
        assertThat(contains(url, main, "0001-pr")).isTrue();
        assertThat(eventId(http, id, "base_synced")).isLessThan(eventId(http, id, "pr_opened"));

        // sync: off — a push to main changes nothing
        assertThat(http.patch("/projects/" + project, Map.of("sync", "off")).json().path("project").path("sync").asText()).isEqualTo("off");
        String before = head(url, "0001-pr");
        String main2 = pushToMain(url, "other.txt", "base again\n");
        Http.Response r = deliver("push", push("sync6", main2));
        assertThat(r.json().path("status").asText()).isEqualTo("ignored");
        assertThat(head(url, "0001-pr")).isEqualTo(before);
        assertThat(http.patch("/projects/" + project, Map.of("sync", "sideways")).status()).isEqualTo(422);
    }

    @Test
    void rebaseModeRewritesTheBranchOntoItsBaseWithALease() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\"},\"steps\":1}");
        Http http = http();
        long project = project(http, "sync7", Map.of("sync", "rebase"));
        assertThat(http.get("/projects/" + project).json().path("sync").asText()).isEqualTo("rebase");
        long id = executedProtocol(http, project, "0001-rebased");
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String before = head(url, "0001-rebased");
        String main = pushToMain(url, "README.md", "# demo\n\nmoved on\n");

        deliver("push", push("sync7", main));
        await().atMost(Duration.ofSeconds(60)).until(() -> eventTypes(http, id).contains("base_synced"));
        JsonNode synced = event(http, id, "base_synced").path("metadata");
        assertThat(synced.path("mode").asText()).isEqualTo("rebase");
        assertThat(synced.path("rewritten").asBoolean()).isTrue();
        assertThat(synced.path("from").asText()).isEqualTo(before);
        assertThat(synced.path("to").asText()).isEqualTo(head(url, "0001-rebased"));
        assertThat(contains(url, main, "0001-rebased")).isTrue();
        assertThat(contains(url, before, "0001-rebased")).isFalse(); // rewritten, no merge commit
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "log", "--merges", "--format=%H", "main..0001-rebased")).isBlank();
        assertThat(fileOnOrigin(url, "0001-rebased", "stand-in-0.txt")).contains("work 0");
    }

    @Test
    void aGitlabPushHookSyncsToo() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\"},\"steps\":1}");
        Http http = http();
        long project = project(http, "sync8", Map.of());
        long id = executedProtocol(http, project, "0001-gitlab");
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String main = pushToMain(url, "README.md", "# demo\n\nmoved on\n");
        // GitLab's documented Push Hook payload, for main of sync8/origin
        ObjectNode p = Fixtures.json("gitlab-docs/push.json");
        p.put("ref", "refs/heads/main");
        p.put("after", main);
        ObjectNode proj = (ObjectNode) p.path("project");
        proj.put("path_with_namespace", "sync8/origin");
        proj.put("git_http_url", "https://gitlab.example/sync8/origin.git");
        proj.put("git_ssh_url", "git@gitlab.example:sync8/origin.git");
        proj.put("web_url", "https://gitlab.example/sync8/origin");
        Http.Response r = http.postBytes("/webhooks/gitlab", p.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("X-Gitlab-Event", "Push Hook", "X-Gitlab-Token", SECRET, "X-Gitlab-Event-UUID", UUID.randomUUID().toString()));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().path("results").get(0).path("protocol_run_id").asLong()).isEqualTo(id);
        await().atMost(Duration.ofSeconds(60)).until(() -> eventTypes(http, id).contains("base_synced"));
        assertThat(contains(url, main, "0001-gitlab")).isTrue();
    }

    private Path worktreeOf(long project, String branch) throws IOException {
        try (var s = Files.walk(ROOT, 9)) {
            return s.filter(p -> p.getFileName().toString().equals(branch) && Files.isRegularFile(p.resolve(".git")))
                    .findFirst().orElseThrow();
        }
    }

    private static String lastPrompt(String phase) throws IOException {
        String last = null;
        for (String line : Files.readAllLines(AGENT_CALLS)) {
            JsonNode call = Fixtures.parse(line);
            if (call.path("phase").asText().equals(phase)) last = call.path("stdin").asText();
        }
        return last;
    }
}
