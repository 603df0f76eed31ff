package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.engine.AgentSandbox;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.LoopbackPorts;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Hostile agents and repositories through the real service, on real git, with the bubblewrap
 * sandbox on (the default {@code auto} where bubblewrap is installed, as in CI).
 */
@TestPropertySource(properties = "deksdenflow.auto-qa-after-exec=true")
class HostileAgentFlowTest extends FlowTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    WorkspaceSettings files;
    @Autowired
    DatabaseSettings database;

    @Autowired
    AgentSandbox sandbox;

    private long startProtocol(Http http, long projectId, String name) {
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name, "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return id;
    }

    @Test
    void aQaReportLinkedOutsideTheWorktreeLeavesTheOutsideFileUntouched() throws Exception {
        Path outside = Files.createTempFile(ROOT, "outside-", ".txt");
        Files.writeString(outside, "original\n");
        Path planted = ROOT.resolve("agent").resolve("planted-" + System.nanoTime() + ".json");
        agentScript(JSON.writeValueAsString(Map.of("modes",
                Map.of("planning", "plan", "exec", "exec-symlink-qa", "qa", "qa-pass"), "steps", 1,
                "target", outside.toString(), "planted", planted.toString())));
        Http http = http();
        String url = origin("symlink-qa");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = startProtocol(http, projectId, "0001-linked-report");
        awaitProtocol(http, id, "completed");

        // the agent did plant the link where the QA report goes
        assertThat(JSON.readTree(planted.toFile()).toString()).contains("00-setup.qa.md");
        assertThat(outside).hasContent("original");
        Path bare = TestRepos.originPath(url);
        String entry = TestRepos.gitBare(bare, "ls-tree", "0001-linked-report", ".protocols/0001-linked-report/00-setup.qa.md");
        assertThat(entry).startsWith("100644 blob"); // a regular file, no longer a link
        assertThat(TestRepos.gitBare(bare, "show", "0001-linked-report:.protocols/0001-linked-report/00-setup.qa.md"))
                .contains("Verdict");
    }

    @Test
    void aReplacedDotGitRunsNoHookAndFailsTheJobAsTampered() throws Exception {
        Path marker = ROOT.resolve("agent").resolve("hook-ran-" + System.nanoTime());
        agentScript(JSON.writeValueAsString(Map.of("modes", Map.of("planning", "plan", "exec", "exec-gitdir"),
                "steps", 1, "marker", marker.toString())));
        Http http = http();
        String url = origin("gitdir");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = startProtocol(http, projectId, "0001-gitdir");
        awaitProtocol(http, id, "blocked");

        assertThat(marker).doesNotExist();
        JsonNode tampered = event(http, id, "worktree_tampered");
        assertThat(tampered.path("message").asText()).contains(".git");
        assertThat(eventTypes(http, id)).contains("job_failed").doesNotContain("job_retry", "step_executed");
        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        assertThat(step.path("status").asText()).isEqualTo("failed");
        // nothing of the tampered worktree reached origin
        String files = TestRepos.gitBare(TestRepos.originPath(url), "ls-tree", "-r", "--name-only", "0001-gitdir");
        assertThat(files).doesNotContain("innocent.txt", ".evil");
    }

    @Test
    void aNestedRepositoryWithAFilterInItsConfigIsNeverRunByTheServicesGit() throws Exception {
        // outside the agent's writable folder: only the service (its git runs outside the sandbox) could write it
        Path marker = ROOT.resolve("filter-ran-" + System.nanoTime());
        agentScript(JSON.writeValueAsString(Map.of("modes", Map.of("planning", "plan", "exec", "exec-nested-repo", "qa", "qa-pass"),
                "steps", 1, "marker", marker.toString())));
        Http http = http();
        String url = origin("nested-repo");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = startProtocol(http, projectId, "0001-nested");
        awaitProtocol(http, id, "completed");

        assertThat(marker).doesNotExist();
        String tree = TestRepos.gitBare(TestRepos.originPath(url), "ls-tree", "-r", "0001-nested");
        assertThat(tree).contains("sub/a.txt", "sub/b.txt").doesNotContain("160000").doesNotContainPattern("/\\.git(/|\\n)");
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "show", "0001-nested:sub/a.txt")).isEqualTo("two\n");
    }

    @Test
    void aCommittedLinkToAnotherTeamsProtocolIsNotImported() throws Exception {
        // "another team's" protocol folder, and a repository that links its own protocol folder to it
        Path foreign = Files.createDirectories(ROOT.resolve("foreign-" + System.nanoTime()).resolve("0001-y"));
        Files.writeString(foreign.resolve("plan.md"), "# their secret plan\n");
        Files.writeString(foreign.resolve("00-secret.md"), "# step with their secrets\n");
        String url = origin("linked-plan");
        Path seed = TestRepos.originPath(url).resolveSibling("origin-seed");
        Files.createDirectories(seed.resolve(".protocols"));
        Files.createSymbolicLink(seed.resolve(".protocols/0001-x"), foreign);
        TestRepos.git(seed, "add", "-A");
        TestRepos.git(seed, "-c", "user.name=Evil", "-c", "user.email=evil@example.test", "commit", "-q", "-m", "link");
        TestRepos.git(seed, "push", "-q", url, "main");
        agentScript("{\"modes\":{\"planning\":\"plan\"},\"steps\":1}");

        Http http = http();
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = startProtocol(http, projectId, "0001-x");
        awaitProtocol(http, id, "blocked");

        JsonNode unsafe = event(http, id, "unsafe_path");
        assertThat(unsafe.path("message").asText()).contains("symbolic link");
        assertThat(http.get("/protocols/" + id + "/steps").json().path("items").size()).isZero();
        assertThat(eventTypes(http, id)).doesNotContain("planned", "job_retry");
        assertThat(http.get("/protocols/" + id + "/events?limit=500").body()).doesNotContain("their secret");
    }

    @Test
    void insideTheSandboxTheServiceFilesAndOtherProjectsAreUnreadableAndWritesOutsideFail() throws Exception {
        assumeTrue(sandbox.kind() == AgentSandbox.Kind.BWRAP, "bubblewrap is not installed here");
        Http http = http();
        // another team's project, cloned into the same workspace
        long other = readyProject(http, origin("other-team"), Map.of("secrets", Map.of("GITHUB_TOKEN", "ghp_other_team")))
                .path("id").asLong();
        Path workspace = Path.of(files.workspace()).toAbsolutePath();
        Path otherReadme = workspace.resolve("projects").resolve(Long.toString(other)).resolve("repo/README.md");
        assertThat(otherReadme).exists();
        Path db = Path.of(database.dbPath()).toAbsolutePath();
        Path escape = ROOT.resolve("escape-" + System.nanoTime());
        Path usrEscape = Path.of("/usr/local/dfo-escape-" + System.nanoTime());
        agentScript(JSON.writeValueAsString(Map.of("modes", Map.of("planning", "plan", "exec", "exec-snoop", "qa", "qa-pass"),
                "steps", 1,
                "probe_read", List.of(db.toString(), db + "-wal", otherReadme.toString()),
                "probe_write", List.of(escape.toString(), usrEscape.toString()))));
        String url = origin("snoop");
        long projectId = readyProject(http, url, Map.of("secrets", Map.of("GITHUB_TOKEN", "ghp_own_secret"))).path("id").asLong();
        long id = startProtocol(http, projectId, "0001-snoop");
        awaitProtocol(http, id, "completed");

        JsonNode found = JSON.readTree(TestRepos.gitBare(TestRepos.originPath(url), "show", "0001-snoop:snoop.json"));
        assertThat(found.path("read").path(db.toString()).asText()).startsWith("ERR");
        assertThat(found.path("read").path(db + "-wal").asText()).startsWith("ERR");
        assertThat(found.path("read").path(otherReadme.toString()).asText()).startsWith("ERR");
        assertThat(found.path("write").path(usrEscape.toString()).asText()).startsWith("ERR");
        assertThat(usrEscape).doesNotExist();
        assertThat(escape).doesNotExist(); // /tmp is private to the run: the write never reached the host
        List<String> env = JSON.convertValue(found.path("env"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(env).contains("DEKSDENFLOW_PHASE", "PATH", "HOME")
                .noneMatch(n -> n.startsWith("DEKSDENFLOW_") && !n.equals("DEKSDENFLOW_PHASE"))
                .doesNotContain("GITHUB_TOKEN");
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "show", "0001-snoop:snoop.json"))
                .doesNotContain("ghp_", "SQLite format");
    }

    @Test
    void insideTheSandboxTheHostsNetworkServicesAreUnreachableAndRefusalsAreRecorded() throws Exception {
        assumeTrue(sandbox.kind() == AgentSandbox.Kind.BWRAP, "bubblewrap is not installed here");
        // real listeners on the host: the service's own API, Redis, PostgreSQL's socket (where there is one)
        List<String> tcp = new ArrayList<>(List.of("127.0.0.1:" + port, "localhost:" + port));
        assertThat(LoopbackPorts.listening(port)).isTrue();
        if (LoopbackPorts.listening(6379)) tcp.add("127.0.0.1:6379");
        List<String> unix = Stream.of("/var/run/postgresql/.s.PGSQL.5432", "/run/mysqld/mysqld.sock")
                .filter(p -> Files.exists(Path.of(p))).toList();
        List<String> proxied = List.of("127.0.0.1:" + port, "169.254.169.254:80", "10.0.0.1:443", "example.invalid:443");
        agentScript(JSON.writeValueAsString(Map.of("modes", Map.of("planning", "plan", "exec", "exec-netprobe", "qa", "qa-pass"),
                "steps", 1, "probe_tcp", tcp, "probe_unix", unix, "probe_proxy", proxied)));
        Http http = http();
        String url = origin("netprobe");
        long projectId = readyProject(http, url, Map.of()).path("id").asLong();
        long id = startProtocol(http, projectId, "0001-netprobe");
        awaitProtocol(http, id, "completed");

        JsonNode found = JSON.readTree(TestRepos.gitBare(TestRepos.originPath(url), "show", "0001-netprobe:netprobe.json"));
        for (String t : tcp) assertThat(found.path("tcp").path(t).asText()).as(t).startsWith("ERR");
        for (String u : unix) assertThat(found.path("unix").path(u).asText()).as(u).startsWith("ERR");
        assertThat(found.path("env").path("HTTPS_PROXY").asText()).startsWith("http://127.0.0.1:");
        for (String t : proxied) assertThat(found.path("proxy").path(t).asText()).as(t).startsWith("HTTP/1.1 403");
        List<String> denied = new ArrayList<>();
        http.get("/protocols/" + id + "/events?limit=500").json().path("items").forEach(e -> {
            if (e.path("event_type").asText().equals("agent_egress_denied")) {
                denied.add(e.path("metadata").path("host").asText() + ":" + e.path("metadata").path("port").asInt());
            }
        });
        assertThat(denied).containsExactlyInAnyOrderElementsOf(proxied); // each once
    }

    @Test
    void healthReportsTheSandbox() {
        assertThat(http().get("/health").json().path("checks").path("agent_sandbox").asText())
                .isEqualTo(sandbox.describe()).isIn("bwrap", "none");
    }
}
