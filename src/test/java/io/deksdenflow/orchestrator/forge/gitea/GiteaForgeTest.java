package io.deksdenflow.orchestrator.forge.gitea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.common.NonRetryable;
import io.deksdenflow.orchestrator.forge.ChangeRequest;
import io.deksdenflow.orchestrator.forge.CiFailure;
import io.deksdenflow.orchestrator.forge.Forge.CommentOn;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Gitea/Forgejo REST client against a local stand-in of {@code /api/v1}, asserting the exact requests. */
class GiteaForgeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SHA = "5f3c9a2e8d41b07c6e2a9f18d3b4c5a6e7f80912";
    static final String REPO = "/api/v1/repos/acme/demo";
    /** A token of Gitea's shape (40 hex): the redactor skips secrets shorter than 4 characters, like "tok". */
    static final String LONG_TOKEN = "3f9a" + "1c2b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e";

    /** One request the stand-in saw. */
    record Seen(String method, String uri, String auth, String contentType, String accept, String body) {
        String line() { return method + " " + uri; }
        JsonNode json() throws IOException { return JSON.readTree(body); }
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** "METHOD /path?query" → {status, body}; anything else answers 404. */
    final Map<String, Object[]> answers = new ConcurrentHashMap<>();
    HttpServer server;
    String origin;
    GiteaForge forge;
    final ForgeRepo repo = new ForgeRepo("p", "https://codeberg.org/acme/demo.git", Map.of("GITEA_TOKEN", "tok"));

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String uri = ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(ex.getRequestMethod(), uri, ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Content-Type"), ex.getRequestHeaders().getFirst("Accept"), body));
            Object[] a = answers.getOrDefault(ex.getRequestMethod() + " " + uri, new Object[] {404, "{\"message\":\"Not Found\"}"});
            byte[] b = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders((Integer) a[0], b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        origin = "http://127.0.0.1:" + server.getAddress().getPort();
        forge = new GiteaForge(new GiteaSettings(origin + "/api/v1"), new ForgeHttp(new ObjectMapper()));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void answer(String request, int status, String body) {
        answers.put(request, new Object[] {status, body});
    }

    static String pr(long number, String head) {
        return "{\"id\":" + (400000 + number) + ",\"number\":" + number + ",\"html_url\":\"https://codeberg.org/acme/demo/pulls/"
                + number + "\",\"state\":\"open\",\"head\":{\"ref\":\"" + head + "\",\"sha\":\"" + SHA + "\"},\"base\":{\"ref\":\"main\"}}";
    }

    @Test
    void openChangeRequestPostsADraftPullRequest() throws IOException {
        answer("POST " + REPO + "/pulls", 201, pr(7, "0001-add-login"));
        ChangeRequest cr = forge.openChangeRequest(repo, "0001-add-login", "main", "Add login", "Protocol 0001");
        assertThat(cr).isEqualTo(new ChangeRequest("https://codeberg.org/acme/demo/pulls/7", 7L));
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.line()).isEqualTo("POST " + REPO + "/pulls");
            assertThat(s.auth()).isEqualTo("token tok");
            assertThat(s.contentType()).isEqualTo("application/json");
            assertThat(s.accept()).isEqualTo("application/json");
        });
        assertThat(seen.get(0).json()).isEqualTo(JSON.readTree(
                "{\"head\":\"0001-add-login\",\"base\":\"main\",\"title\":\"WIP: Add login\",\"body\":\"Protocol 0001\"}"));
    }

    @Test
    void anAlreadyOpenPullRequestIsFoundByItsHeadBranch() {
        answer("POST " + REPO + "/pulls", 409, "{\"message\":\"pull request already exists for these targets\"}");
        answer("GET " + REPO + "/pulls?state=open&limit=50&page=1", 200,
                "[" + pr(3, "other") + "," + pr(9, "0001-add-login") + "]");
        ChangeRequest cr = forge.openChangeRequest(repo, "0001-add-login", "main", "Add login", "b");
        assertThat(cr).isEqualTo(new ChangeRequest("https://codeberg.org/acme/demo/pulls/9", 9L));
        assertThat(seen).extracting(Seen::line).containsExactly("POST " + REPO + "/pulls",
                "GET " + REPO + "/pulls?state=open&limit=50&page=1");
        assertThat(seen.get(1).auth()).isEqualTo("token tok");
        assertThat(seen.get(1).body()).isEmpty();
    }

    @Test
    void a409WithoutAnOpenPullRequestForTheBranchFailsTheJob() {
        answer("POST " + REPO + "/pulls", 409, "{\"message\":\"exists\"}");
        answer("GET " + REPO + "/pulls?state=open&limit=50&page=1", 200, "[" + pr(3, "other") + "]");
        assertThatThrownBy(() -> forge.openChangeRequest(repo, "0001-add-login", "main", "t", "b"))
                .isInstanceOf(JobFailure.class).hasMessageContaining("none is open for 0001-add-login");
        assertThat(seen).hasSize(2);
    }

    @Test
    void finalAnswersFailTheJobAndServerErrorsAreRetried() {
        answer("POST " + REPO + "/pulls", 404, "{\"message\":\"repo not found\"}");
        assertThatThrownBy(() -> forge.openChangeRequest(repo, "h", "main", "t", "b"))
                .isInstanceOf(JobFailure.class).isInstanceOf(NonRetryable.class)
                .hasMessageContaining("Gitea API answered 404").hasMessageContaining("repo not found");
        answer("POST " + REPO + "/pulls", 403, "{\"message\":\"token does not have required scope\"}");
        assertThatThrownBy(() -> forge.openChangeRequest(repo, "h", "main", "t", "b"))
                .isInstanceOf(JobFailure.class).hasMessageContaining("403");
        answer("POST " + REPO + "/pulls", 500, "{\"message\":\"internal\"}");
        assertThatThrownBy(() -> forge.openChangeRequest(repo, "h", "main", "t", "b"))
                .isExactlyInstanceOf(IllegalStateException.class).isNotInstanceOf(NonRetryable.class)
                .hasMessageContaining("Gitea API answered 500");
        // nothing is listed after a 4xx/5xx other than 409/422
        assertThat(seen).extracting(Seen::line).containsOnly("POST " + REPO + "/pulls").hasSize(3);
    }

    @Test
    void ciFailuresAreTheCommitsFailedStatuses() {
        answer("GET " + REPO + "/commits/" + SHA + "/statuses?limit=50", 200, "["
                + "{\"id\":1,\"status\":\"failure\",\"context\":\"ci / build (push)\",\"description\":\"Failing after 1m12s\","
                + "\"target_url\":\"https://codeberg.org/acme/demo/actions/runs/57/jobs/0\"},"
                + "{\"id\":2,\"status\":\"success\",\"context\":\"ci / lint (push)\",\"description\":\"Successful in 20s\"},"
                + "{\"id\":3,\"status\":\"pending\",\"context\":\"ci / e2e (push)\",\"description\":\"Waiting\"},"
                + "{\"id\":4,\"status\":\"error\",\"context\":\"woodpecker\",\"description\":\"pipeline errored, leaked " + LONG_TOKEN + "\","
                + "\"target_url\":\"https://ci.example/4\"},"
                + "{\"id\":5,\"status\":\"warning\",\"context\":\"coverage\",\"description\":\"-2%\"}]");
        ForgeRepo real = new ForgeRepo("p", "https://codeberg.org/acme/demo.git", Map.of("GITEA_TOKEN", LONG_TOKEN));
        List<CiFailure> f = forge.ciFailures(real, Map.of("provider", "gitea", "event_kind", "status", "head_sha", SHA,
                "check_name", "ci / build (push)"), 50);
        assertThat(f).extracting(CiFailure::job).containsExactly("ci / build (push)", "woodpecker");
        assertThat(f).extracting(CiFailure::url).containsExactly(
                "https://codeberg.org/acme/demo/actions/runs/57/jobs/0", "https://ci.example/4");
        assertThat(f.get(0).excerpt()).contains("Failing after 1m12s", "actions/runs/57/jobs/0");
        assertThat(f.get(1).excerpt()).contains("pipeline errored, leaked ***").doesNotContain(LONG_TOKEN);
        assertThat(f).allSatisfy(x -> assertThat(x.step()).isNull());
        assertThat(seen).singleElement().satisfies(s -> {
            assertThat(s.line()).isEqualTo("GET " + REPO + "/commits/" + SHA + "/statuses?limit=50");
            assertThat(s.auth()).isEqualTo("token " + LONG_TOKEN);
            assertThat(s.accept()).isEqualTo("application/json");
        });
    }

    @Test
    void withoutFailedStatusesOrOnAnApiErrorTheDeliveryIsTheFailure() {
        answer("GET " + REPO + "/commits/" + SHA + "/statuses?limit=50", 200, "[{\"status\":\"success\",\"context\":\"x\"}]");
        Map<String, Object> ref = Map.of("provider", "gitea", "head_sha", SHA, "check_name", "ci / build (push)",
                "summary", "Failing after 1m12s", "url", "https://codeberg.org/acme/demo/actions/runs/57/jobs/0");
        assertThat(forge.ciFailures(repo, ref, 50)).containsExactly(new CiFailure("ci / build (push)", null,
                "https://codeberg.org/acme/demo/actions/runs/57/jobs/0", "Failing after 1m12s"));
        answer("GET " + REPO + "/commits/" + SHA + "/statuses?limit=50", 401, "{\"message\":\"token is required\"}");
        assertThat(forge.ciFailures(repo, ref, 50)).singleElement().satisfies(x -> assertThat(x.excerpt())
                .contains("Failing after 1m12s", "could not be fetched: Gitea API answered 401", "token is required"));
    }

    @Test
    void withoutHeadShaNothingIsAsked() {
        List<CiFailure> f = forge.ciFailures(repo, Map.of("provider", "gitea", "check_name", "ci", "summary", "red"), 50);
        assertThat(f).containsExactly(new CiFailure("ci", null, null, "red"));
        assertThat(seen).isEmpty();
    }

    @Test
    void withoutTheTokenNothingIsAsked() {
        ForgeRepo bare = new ForgeRepo("q", "https://codeberg.org/acme/demo.git", Map.of("OTHER", "s3cr3t-value"));
        List<CiFailure> f = forge.ciFailures(bare, Map.of("provider", "gitea", "head_sha", SHA, "check_name", "ci"), 50);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.job()).isEqualTo("ci");
            assertThat(x.excerpt()).contains("secret GITEA_TOKEN is not set");
        });
        assertThatThrownBy(() -> forge.postComment(bare, CommentOn.ISSUE, 1, "x")).hasMessageContaining("GITEA_TOKEN");
        assertThatThrownBy(() -> forge.openChangeRequest(bare, "h", "main", "t", "b"))
                .isInstanceOf(JobFailure.class).hasMessageContaining("secret GITEA_TOKEN is not set");
        assertThat(seen).isEmpty();
    }

    @Test
    void thereIsNoRerunApi() {
        assertThat(forge.rerunFailedJobs(repo, Map.of("provider", "gitea", "head_sha", SHA)))
                .isNotNull().contains("no API to re-run");
        assertThat(seen).isEmpty();
    }

    @Test
    void commentsArePostedAndEditedThroughTheIssueApi() throws Exception {
        answer("POST " + REPO + "/issues/7/comments", 201, "{\"id\":1234,\"body\":\"hello\"}");
        assertThat(forge.postComment(repo, CommentOn.CHANGE_REQUEST, 7, "hello")).isEqualTo(1234L);
        answer("PATCH " + REPO + "/issues/comments/1234", 200, "{\"id\":1234,\"body\":\"edited\"}");
        forge.editComment(repo, CommentOn.CHANGE_REQUEST, 7, 1234, "edited");
        assertThat(seen).extracting(Seen::line).containsExactly("POST " + REPO + "/issues/7/comments",
                "PATCH " + REPO + "/issues/comments/1234");
        for (Seen s : seen) {
            assertThat(s.auth()).isEqualTo("token tok");
            assertThat(s.contentType()).isEqualTo("application/json");
        }
        assertThat(seen.get(0).json()).isEqualTo(JSON.readTree("{\"body\":\"hello\"}"));
        assertThat(seen.get(1).json()).isEqualTo(JSON.readTree("{\"body\":\"edited\"}"));

        assertThatThrownBy(() -> forge.editComment(repo, CommentOn.ISSUE, 7, 99, "x")).hasMessageContaining("404");
    }

    @Test
    void withoutApiBaseTheGitUrlsHostIsUsed() throws Exception {
        GiteaForge derived = new GiteaForge(new GiteaSettings(""), new ForgeHttp(new ObjectMapper()));
        ForgeRepo local = new ForgeRepo("p", origin + "/acme/demo.git", Map.of("GITEA_TOKEN", "tok"));
        answer("POST " + REPO + "/issues/3/comments", 201, "{\"id\":77}");
        assertThat(derived.postComment(local, CommentOn.ISSUE, 3, "hi")).isEqualTo(77L);
        answer("POST " + REPO + "/pulls", 201, pr(5, "h"));
        assertThat(derived.openChangeRequest(local, "h", "main", "t", "b").number()).isEqualTo(5L);
        assertThat(seen).extracting(Seen::line).containsExactly("POST " + REPO + "/issues/3/comments", "POST " + REPO + "/pulls");
    }

    @Test
    void aLocalGitUrlNeedsTheApiBaseSetting() {
        GiteaForge derived = new GiteaForge(new GiteaSettings(""), new ForgeHttp(new ObjectMapper()));
        ForgeRepo local = new ForgeRepo("p", "file:///srv/git/acme/demo.git", Map.of("GITEA_TOKEN", "tok"));
        List<CiFailure> f = derived.ciFailures(local, Map.of("provider", "gitea", "head_sha", SHA), 50);
        assertThat(f).singleElement().satisfies(x -> assertThat(x.excerpt()).contains("DEKSDENFLOW_GITEA_API_BASE"));
        // a setting no retry can supply fails the job for good
        assertThatThrownBy(() -> derived.openChangeRequest(local, "h", "main", "t", "b"))
                .isInstanceOf(JobFailure.class).hasMessageContaining("DEKSDENFLOW_GITEA_API_BASE");
        assertThat(seen).isEmpty();
    }
}
