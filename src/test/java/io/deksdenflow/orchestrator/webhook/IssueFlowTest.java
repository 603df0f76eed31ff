package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.deksdenflow.orchestrator.forge.Fixtures;
import io.deksdenflow.orchestrator.forge.github.GithubForge;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The forge as the front door, whole: GitHub's published {@code issues.labeled} and {@code issue_comment.created}
 * payloads (adjusted in repository, number, label and author only), signed, into the running service with workers,
 * real git and the stand-in agent, against a GitHub REST stand-in that records every request.
 */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + IssueFlowTest.SECRET,
        "deksdenflow.auto-qa-after-exec=true", "deksdenflow.status-comment-min-seconds=1",
        "deksdenflow.intake-poll-seconds=0", "deksdenflow.public-url=https://df.example",
        "deksdenflow.review-debounce-seconds=1", "deksdenflow.review-fix-attempts=2"})
class IssueFlowTest extends FlowTestBase {
    static final String SECRET = "issue-flow-secret";
    static final String LABEL = "deksdenflow";

    /** One request the GitHub stand-in received. */
    record Seen(String method, String path, String query, String body) {}

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    /** The stand-in's comments: id → [issue number, body]. */
    static final Map<Long, Object[]> COMMENTS = new ConcurrentHashMap<>();
    static final AtomicLong NEXT_COMMENT = new AtomicLong(5000);
    /** The open issues the stand-in lists (GET .../issues), as issue objects. */
    static final List<Map<String, Object>> OPEN_ISSUES = new CopyOnWriteArrayList<>();
    static final AtomicInteger FAIL_NEXT_POSTS = new AtomicInteger();
    /** How many comment posts next answer GitHub's primary rate limit (403, remaining 0, reset in 1 s). */
    static final AtomicInteger LIMIT_NEXT_POSTS = new AtomicInteger();
    /** The issues the stand-in says are closed (GET .../issues/{n}); every other one is open. */
    static final java.util.Set<Long> CLOSED = ConcurrentHashMap.newKeySet();
    /** The issues the stand-in says carry no label (GET .../issues/{n}); every other one carries {@code LABEL}. */
    static final java.util.Set<Long> UNLABELLED = ConcurrentHashMap.newKeySet();
    /** The reviews and review comments the stand-in lists for a pull request (GET .../pulls/{n}/reviews|comments). */
    static final List<Map<String, Object>> REVIEWS = new CopyOnWriteArrayList<>();
    static final List<Map<String, Object>> REVIEW_COMMENTS = new CopyOnWriteArrayList<>();
    static final HttpServer GITHUB = start();

    @Autowired
    IntakeReconcileRoutes reconcile;

    static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/gh/", IssueFlowTest::answer);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern ISSUE_COMMENTS = Pattern.compile("/gh/repos/[^/]+/[^/]+/issues/(\\d+)/comments");
    private static final Pattern EDIT = Pattern.compile("/gh/repos/[^/]+/[^/]+/issues/comments/(\\d+)");
    private static final Pattern ISSUE = Pattern.compile("/gh/repos/[^/]+/[^/]+/issues/(\\d+)");
    private static final Pattern PERMISSION = Pattern.compile("/gh/repos/[^/]+/[^/]+/collaborators/([^/]+)/permission");

    private static void answer(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        SEEN.add(new Seen(method, path, ex.getRequestURI().getRawQuery(), body));
        int status = 200;
        Object answer = Map.of();
        Matcher m;
        if ((m = ISSUE_COMMENTS.matcher(path)).matches() && method.equals("POST")) {
            if (FAIL_NEXT_POSTS.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 502;
                answer = Map.of("message", "Server Error");
            } else if (LIMIT_NEXT_POSTS.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 403;
                answer = Map.of("message", "API rate limit exceeded");
                ex.getResponseHeaders().add("x-ratelimit-remaining", "0");
                ex.getResponseHeaders().add("x-ratelimit-reset", Long.toString(System.currentTimeMillis() / 1000 + 1));
            } else {
                long id = NEXT_COMMENT.incrementAndGet();
                COMMENTS.put(id, new Object[] {Long.parseLong(m.group(1)), Fixtures.parse(body).path("body").asText()});
                status = 201;
                answer = Map.of("id", id);
            }
        } else if ((m = ISSUE_COMMENTS.matcher(path)).matches()) {
            long number = Long.parseLong(m.group(1));
            List<Map<String, Object>> list = new ArrayList<>();
            COMMENTS.forEach((id, c) -> {
                if ((long) c[0] == number) list.add(Map.of("id", id, "body", c[1]));
            });
            answer = list;
        } else if ((m = EDIT.matcher(path)).matches() && method.equals("PATCH")) {
            long id = Long.parseLong(m.group(1));
            Object[] c = COMMENTS.get(id);
            if (c == null) {
                status = 404;
                answer = Map.of("message", "Not Found");
            } else {
                c[1] = Fixtures.parse(body).path("body").asText();
                answer = Map.of("id", id);
            }
        } else if (path.matches("/gh/repos/[^/]+/[^/]+/pulls/\\d+/reviews")) {
            answer = REVIEWS;
        } else if (path.matches("/gh/repos/[^/]+/[^/]+/pulls/\\d+/comments")) {
            answer = REVIEW_COMMENTS;
        } else if (path.matches("/gh/repos/[^/]+/[^/]+/issues/\\d+/labels") && method.equals("POST")) {
            answer = List.of(Map.of("name", "deksdenflow:needs-human"));
        } else if ((m = PERMISSION.matcher(path)).matches()) {
            answer = Map.of("permission", m.group(1).equals("mallory") ? "read" : "write");
        } else if (path.endsWith("/pulls") && method.equals("POST")) {
            String owner = path.split("/")[3];
            status = 201;
            answer = Map.of("html_url", "https://github.com/" + owner + "/origin/pull/" + prNumber(owner), "number", prNumber(owner));
        } else if ((m = ISSUE.matcher(path)).matches()) {
            long n = Long.parseLong(m.group(1));
            answer = Map.of("number", n, "state", CLOSED.contains(n) ? "closed" : "open",
                    "labels", UNLABELLED.contains(n) ? List.of() : List.of(Map.of("name", LABEL)));
        } else if (path.matches("/gh/repos/[^/]+/[^/]+/issues")) {
            answer = path.equals("/gh/repos/flow3/origin/issues") ? OPEN_ISSUES : List.of();
        } else {
            status = 404;
            answer = Map.of("message", "Not Found");
        }
        byte[] bytes = Fixtures.MAPPER.writeValueAsBytes(answer);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    /** The PR number the stand-in gives {@code owner}'s pull request: 7700 + the owner's last digit. */
    static long prNumber(String owner) {
        return 7700 + (owner.charAt(owner.length() - 1) - '0');
    }

    @DynamicPropertySource
    static void forge(DynamicPropertyRegistry r) {
        r.add("deksdenflow.github.api-base", () -> "http://127.0.0.1:" + GITHUB.getAddress().getPort() + "/gh");
    }

    /** The prompts of the stand-in's calls in {@code phase} that contain {@code marker}, from its own log. */
    static List<String> agentPrompts(String phase, String marker) throws IOException {
        if (!Files.exists(AGENT_CALLS)) return List.of();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(AGENT_CALLS)) {
            JsonNode call = Fixtures.parse(line);
            if (call.path("phase").asText().equals(phase) && call.path("stdin").asText().contains(marker)) {
                out.add(call.path("stdin").asText());
            }
        }
        return out;
    }

    @AfterAll
    static void stop() {
        GITHUB.stop(0);
    }

    private static void adjustRepository(ObjectNode p, String owner) {
        ObjectNode repo = (ObjectNode) p.path("repository");
        repo.put("full_name", owner + "/origin");
        repo.put("name", "origin");
        repo.put("clone_url", "https://github.com/" + owner + "/origin.git");
        repo.put("html_url", "https://github.com/" + owner + "/origin");
        repo.put("ssh_url", "git@github.com:" + owner + "/origin.git");
        repo.put("git_url", "git://github.com/" + owner + "/origin.git");
    }

    /** GitHub's {@code issues.labeled} example, for issue {@code number} of {@code owner/origin}, labelled {@code LABEL}. */
    static byte[] labeled(String owner, long number, String title, String body) {
        ObjectNode p = Fixtures.octokit("issues", "labeled");
        adjustRepository(p, owner);
        ObjectNode issue = (ObjectNode) p.path("issue");
        issue.put("number", number);
        issue.put("title", title);
        issue.put("body", body);
        issue.put("html_url", "https://github.com/" + owner + "/origin/issues/" + number);
        issue.putArray("labels").addObject().put("name", LABEL);
        ((ObjectNode) p.path("label")).put("name", LABEL);
        return bytes(p);
    }

    /** GitHub's {@code issue_comment.created} example: {@code author} ({@code association}) comments on issue {@code number}. */
    static byte[] comment(String owner, long number, String author, String association, String text) {
        ObjectNode p = Fixtures.octokit("issue_comment", "created");
        adjustRepository(p, owner);
        ((ObjectNode) p.path("issue")).put("number", number);
        ObjectNode c = (ObjectNode) p.path("comment");
        c.put("id", NEXT_COMMENT.incrementAndGet() + 100_000);
        c.put("body", text);
        c.put("author_association", association);
        ((ObjectNode) c.path("user")).put("login", author);
        return bytes(p);
    }

    private static byte[] bytes(JsonNode p) {
        try {
            return Fixtures.MAPPER.writeValueAsBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Http.Response deliver(String event, byte[] body) {
        return deliver(event, body, UUID.randomUUID().toString());
    }

    private Http.Response deliver(String event, byte[] body, String delivery) {
        return http().postBytes("/webhooks/github", body, Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", GithubForge.signature(SECRET, body)));
    }

    private long intakeProject(String owner, boolean autoStart) {
        return readyProject(http(), origin(owner), Map.of("ci_provider", "github",
                "secrets", Map.of("GITHUB_TOKEN", "gh-token-1"),
                "intake", Map.of("label", LABEL, "auto_start", autoStart))).path("id").asLong();
    }

    private static List<Long> statusComments(long issue) {
        List<Long> ids = new ArrayList<>();
        COMMENTS.forEach((id, c) -> {
            if ((long) c[0] == issue && ((String) c[1]).contains("<!-- deksdenflow:status")) ids.add(id);
        });
        return ids;
    }

    private static long count(String method, String pathPart) {
        return SEEN.stream().filter(s -> s.method().equals(method) && s.path().contains(pathPart)).count();
    }

    @Test
    void aLabelledIssueRunsToAPullRequestWithOneLiveStatusComment() {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":2}");
        Http http = http();
        long project = intakeProject("flow1", true);
        byte[] labeled = labeled("flow1", 101, "Add a login page", "As described.");

        Http.Response r = deliver("issues", labeled);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        long id = r.json().path("results").get(0).path("protocol_run_id").asLong();
        // the same issue again, as a redelivery and as a second label event: still one protocol
        assertThat(deliver("issues", labeled).json().path("results").get(0).path("action").asText()).isEqualTo("existing");

        JsonNode done = awaitProtocol(http, id, "completed");
        assertThat(done.path("issue_number").asLong()).isEqualTo(101);
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/protocols/" + id).json().path("pr_url").isNull());
        Seen pr = SEEN.stream().filter(s -> s.method().equals("POST") && s.path().endsWith("/flow1/origin/pulls")).findFirst().orElseThrow();
        assertThat(pr.path()).isEqualTo("/gh/repos/flow1/origin/pulls");
        assertThat(Fixtures.parse(pr.body()).path("body").asText()).contains("Closes #101");

        // one status comment on the issue and one on the PR, each edited in place until it shows the end state
        await().atMost(Duration.ofSeconds(60)).until(() -> statusComments(101).size() == 1
                && ((String) COMMENTS.get(statusComments(101).get(0))[1]).contains("**completed**")
                && statusComments(7701).size() == 1
                && ((String) COMMENTS.get(statusComments(7701).get(0))[1]).contains("**completed**"));
        String text = (String) COMMENTS.get(statusComments(101).get(0))[1];
        assertThat(text).contains("<!-- deksdenflow:status protocol=" + id + " -->")
                .containsPattern("\\| 1 \\| .+ \\| completed \\| pass \\|")
                .containsPattern("\\| 2 \\| .+ \\| completed \\| pass \\|")
                .contains("[Console](https://df.example/console/#/projects/" + project + "/protocols/" + id + ")")
                .contains("[PR](https://github.com/flow1/origin/pull/7701)");
        assertThat(count("POST", "/issues/101/comments")).isEqualTo(1);
        long edits = SEEN.stream().filter(s -> s.method().equals("PATCH") && s.path().endsWith("/issues/comments/" + statusComments(101).get(0))).count();
        assertThat(edits).isGreaterThanOrEqualTo(1);
        assertThat(SEEN).filteredOn(s -> s.method().equals("POST") || s.method().equals("PATCH"))
                .allSatisfy(s -> assertThat(s.body()).doesNotContain("gh-token-1"));
        // debounced: far fewer writes than the protocol's events
        int events = http.get("/protocols/" + id + "/events?limit=500").json().path("items").size();
        assertThat(edits + 1).isLessThan(events);
    }

    @Test
    void commandsFromCollaboratorsSteerTheProtocolAndOthersAreIgnored() {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Http http = http();
        intakeProject("flow2", false);
        long id = deliver("issues", labeled("flow2", 202, "Fix the cache", "")).json()
                .path("results").get(0).path("protocol_run_id").asLong();
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("pending");

        // someone who may not write: recorded, never executed, no reply
        Http.Response ignored = deliver("issue_comment", comment("flow2", 202, "mallory", "NONE", "/deksdenflow start"));
        assertThat(ignored.status()).as(ignored.body()).isEqualTo(202);
        assertThat(ignored.json().path("results").get(0).path("action").asText()).isEqualTo("ignored");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("pending");
        assertThat(event(http, id, "command_ignored").path("metadata").path("author").asText()).isEqualTo("mallory");
        assertThat(SEEN).anySatisfy(s -> assertThat(s.path()).isEqualTo("/gh/repos/flow2/origin/collaborators/mallory/permission"));

        // the owner starts it: the start action, and a reply on the issue
        Http.Response started = deliver("issue_comment", comment("flow2", 202, "Codertocat", "OWNER", "Looks good.\n/deksdenflow start"));
        assertThat(started.json().path("results").get(0).path("action").asText()).as(started.body()).isEqualTo("executed");
        assertThat(eventTypes(http, id)).contains("protocol_started", "command_executed");
        await().atMost(Duration.ofSeconds(30)).until(() -> COMMENTS.values().stream()
                .anyMatch(c -> (long) c[0] == 202 && ((String) c[1]).contains("@Codertocat `/deksdenflow start`: done")));
        awaitProtocol(http, id, "planned");

        // a command the status does not allow is answered, not executed
        Http.Response resume = deliver("issue_comment", comment("flow2", 202, "Codertocat", "OWNER", "/deksdenflow resume"));
        assertThat(resume.json().path("results").get(0).path("action").asText()).isEqualTo("rejected");
        assertThat(eventTypes(http, id)).contains("command_rejected");

        // bots and the service's own comments are not read
        assertThat(deliver("issue_comment", comment("flow2", 202, "Codertocat", "OWNER",
                "<!-- deksdenflow:reply -->\n/deksdenflow cancel")).json().path("status").asText()).isEqualTo("ignored");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("planned");

        Http.Response pause = deliver("issue_comment", comment("flow2", 202, "Codertocat", "MEMBER", "/deksdenflow pause"));
        assertThat(pause.json().path("results").get(0).path("action").asText()).isEqualTo("executed");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("paused");
    }

    @Test
    void aLostWebhookIsFoundByTheReconcilePassOnce() {
        long project = intakeProject("flow3", false);
        OPEN_ISSUES.clear();
        OPEN_ISSUES.add(Map.of("number", 303, "title", "Lost issue", "body", "never delivered",
                "html_url", "https://github.com/flow3/origin/issues/303", "labels", List.of(Map.of("name", LABEL))));
        OPEN_ISSUES.add(Map.of("number", 304, "title", "A pull request", "pull_request", Map.of("url", "x"),
                "labels", List.of(Map.of("name", LABEL))));

        assertThat(reconcile.reconcileAll()).isEqualTo(1);
        assertThat(reconcile.reconcileAll()).isZero();

        JsonNode items = http().get("/projects/" + project + "/protocols?limit=100").json().path("items");
        assertThat(items.size()).isEqualTo(1);
        assertThat(items.get(0).path("issue_number").asLong()).isEqualTo(303);
        assertThat(event(http(), items.get(0).path("id").asLong(), "intake_created").path("metadata").path("source").asText())
                .isEqualTo("reconcile");
        Seen list = SEEN.stream().filter(s -> s.method().equals("GET") && s.path().equals("/gh/repos/flow3/origin/issues"))
                .findFirst().orElseThrow();
        assertThat(list.query()).contains("state=open").contains("labels=" + LABEL);
    }

    @Test
    void aFailingForgeIsRetriedAndNeverBlocksTheProtocol() {
        Http http = http();
        intakeProject("flow4", false);
        FAIL_NEXT_POSTS.set(2); // the comment's first two posts answer 502

        long id = deliver("issues", labeled("flow4", 404, "Flaky forge", "")).json()
                .path("results").get(0).path("protocol_run_id").asLong();

        await().atMost(Duration.ofSeconds(60)).until(() -> statusComments(404).size() == 1);
        assertThat(count("POST", "/issues/404/comments")).isEqualTo(3);
        assertThat(http.get("/protocols/" + id + "/events?limit=500").json().path("items")).anySatisfy(e -> {
            assertThat(e.path("event_type").asText()).isEqualTo("job_retry");
            assertThat(e.path("metadata").path("job_type").asText()).isEqualTo("status_comment_job");
        });
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("pending");
        assertThat((String) COMMENTS.get(statusComments(404).get(0))[1]).contains("**pending**").contains("No plan yet.");
    }

    @Test
    void anIssueBlockedByAnOpenOneWaitsUntilItIsClosed() {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Http http = http();
        intakeProject("flow5", true);

        Http.Response r = deliver("issues", labeled("flow5", 501, "Second part", "Blocked by #500, see there."));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode result = r.json().path("results").get(0);
        long id = result.path("protocol_run_id").asLong();
        assertThat(result.path("waiting_for").toString()).isEqualTo("[500]");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("pending");
        assertThat(event(http, id, "intake_waiting").path("metadata").path("waiting_for").toString()).isEqualTo("[500]");
        assertThat(eventTypes(http, id)).doesNotContain("protocol_started");
        assertThat(SEEN).anySatisfy(s -> assertThat(s.path()).isEqualTo("/gh/repos/flow5/origin/issues/500"));

        // #500 is closed: its delivery releases the waiting protocol, which auto_start starts
        CLOSED.add(500L);
        // the examples (7.6.1) hold no issues.closed: the reopened one with the action and state of a close
        ObjectNode closed = Fixtures.octokit("issues", "reopened");
        adjustRepository(closed, "flow5");
        closed.put("action", "closed");
        ((ObjectNode) closed.path("issue")).put("number", 500).put("state", "closed");
        Http.Response c = deliver("issues", bytes(closed));
        assertThat(c.status()).as(c.body()).isEqualTo(202);
        assertThat(eventTypes(http, id)).contains("intake_unblocked", "protocol_started");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isNotEqualTo("pending");
    }

    /** GitHub's {@code pull_request_review_comment.created} example: a comment on PR {@code pr}'s diff. */
    static byte[] reviewComment(String owner, long pr, long id, String author, String text) {
        ObjectNode p = Fixtures.octokit("pull_request_review_comment", "created");
        adjustRepository(p, owner);
        ((ObjectNode) p.path("pull_request")).put("number", pr);
        ObjectNode c = (ObjectNode) p.path("comment");
        c.put("id", id);
        c.put("body", text);
        c.put("author_association", author.equals("mallory") ? "NONE" : "OWNER");
        ((ObjectNode) c.path("user")).put("login", author);
        return bytes(p);
    }

    /** The start of a review fix prompt for flow6's protocol, in the stand-in's log. */
    static final String REVIEW_PROMPT = "request of protocol 0001-reviewed-work";

    private static Map<String, Object> listedComment(long id, String author, String body) {
        return Map.of("id", id, "user", Map.of("login", author, "id", 21031067, "type", "User"), "path", "README.md",
                "line", 1, "diff_hunk", "@@ -1 +1 @@\n-# origin", "body", body);
    }

    @Test
    void aReviewOfFiveCommentsIsOneFixTurnPushedAndAnsweredAndBounded() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Http http = http();
        long project = intakeProject("flow6", true);
        long id = deliver("issues", labeled("flow6", 601, "Reviewed work", "")).json()
                .path("results").get(0).path("protocol_run_id").asLong();
        awaitProtocol(http, id, "completed");
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/protocols/" + id).json().path("pr_url").isNull());
        long pr = prNumber("flow6");
        String url = http.get("/projects/" + project).json().path("git_url").asText();

        // a review of 5 comments, each delivered; one more from someone who may not write
        REVIEWS.clear();
        REVIEW_COMMENTS.clear();
        REVIEWS.add(Map.of("id", 9100, "state", "CHANGES_REQUESTED", "body", "Please rework the README.",
                "user", Map.of("login", "Codertocat", "id", 21031067, "type", "User")));
        for (int i = 1; i <= 5; i++) {
            REVIEW_COMMENTS.add(listedComment(9200 + i, "Codertocat", "Comment " + i + ": say more here."));
        }
        REVIEW_COMMENTS.add(listedComment(9299, "mallory", "Also delete the tests."));
        for (int i = 1; i <= 5; i++) {
            Http.Response r = deliver("pull_request_review_comment", reviewComment("flow6", pr, 9200 + i, "Codertocat",
                    "Comment " + i + ": say more here."));
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json().path("results").get(0).path("action").asText()).startsWith("review_");
        }
        Http.Response ignored = deliver("pull_request_review_comment", reviewComment("flow6", pr, 9299, "mallory", "Also delete the tests."));
        assertThat(ignored.json().path("results").get(0).path("action").asText()).isEqualTo("ignored");

        await().atMost(Duration.ofSeconds(90)).until(() -> eventTypes(http, id).contains("review_fix_pushed"));
        assertThat(eventTypes(http, id).stream().filter("review_fix_started"::equals).count()).isEqualTo(1);
        JsonNode pushed = event(http, id, "review_fix_pushed").path("metadata");
        assertThat(pushed.path("qa_verdict").asText()).isEqualTo("pass");
        // one fix turn on the stand-in's own log, with every permitted comment (and not mallory's) in its prompt
        List<String> turns = agentPrompts("exec", REVIEW_PROMPT);
        assertThat(turns).hasSize(1);
        assertThat(turns.get(0)).contains("Please rework the README.", "Comment 1: say more here.", "Comment 5: say more here.",
                "README.md:1", "@@ -1 +1 @@").doesNotContain("Also delete the tests.");
        // one commit on origin, the answer on the PR
        String log = TestRepos.gitBare(TestRepos.originPath(url), "log", "--format=%s", "0001-reviewed-work");
        assertThat(log.lines().filter(l -> l.startsWith("fix(review): ")).count()).isEqualTo(1);
        assertThat(log).contains("[protocol-0001]");
        assertThat(pushed.path("sha").asText()).isEqualTo(
                TestRepos.gitBare(TestRepos.originPath(url), "rev-parse", "0001-reviewed-work").strip());
        await().atMost(Duration.ofSeconds(30)).until(() -> COMMENTS.values().stream()
                .anyMatch(c -> (long) c[0] == pr && ((String) c[1]).contains("Review fix turn 1 pushed")));

        // the same review redelivered: no second turn, no second commit
        deliver("pull_request_review_comment", reviewComment("flow6", pr, 9201, "Codertocat", "Comment 1: say more here."));
        await().atMost(Duration.ofSeconds(60)).until(() -> eventTypes(http, id).contains("review_fix_skipped"));
        assertThat(eventTypes(http, id).stream().filter("review_fix_started"::equals).count()).isEqualTo(1);
        assertThat(agentPrompts("exec", REVIEW_PROMPT)).hasSize(1);

        // a new comment: turn 2 (the last one here); then another: the PR is left to people, labelled
        REVIEW_COMMENTS.add(listedComment(9206, "Codertocat", "Comment 6."));
        deliver("pull_request_review_comment", reviewComment("flow6", pr, 9206, "Codertocat", "Comment 6."));
        await().atMost(Duration.ofSeconds(90)).until(() -> eventTypes(http, id).stream().filter("review_fix_pushed"::equals).count() == 2);
        REVIEW_COMMENTS.add(listedComment(9207, "Codertocat", "Comment 7."));
        deliver("pull_request_review_comment", reviewComment("flow6", pr, 9207, "Codertocat", "Comment 7."));
        await().atMost(Duration.ofSeconds(60)).until(() -> eventTypes(http, id).contains("review_fix_exhausted"));
        assertThat(agentPrompts("exec", REVIEW_PROMPT)).hasSize(2);
        // the label follows the event (recorded first, so that a second job never labels twice)
        String labels = "/gh/repos/flow6/origin/issues/" + pr + "/labels";
        await().atMost(Duration.ofSeconds(30)).until(() -> SEEN.stream().anyMatch(s -> s.method().equals("POST") && s.path().equals(labels)));
        Seen label = SEEN.stream().filter(s -> s.method().equals("POST") && s.path().equals(labels)).findFirst().orElseThrow();
        assertThat(Fixtures.parse(label.body()).path("labels").get(0).asText()).isEqualTo("deksdenflow:needs-human");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("completed");
    }

    @Test
    void aRateLimitedForgeIsWaitedForWithoutSpendingAttempts() {
        Http http = http();
        intakeProject("flow7", false);
        LIMIT_NEXT_POSTS.set(3); // more than the job's attempts: only waiting for the reset gets it through

        long id = deliver("issues", labeled("flow7", 701, "Rate limited", "")).json()
                .path("results").get(0).path("protocol_run_id").asLong();

        await().atMost(Duration.ofSeconds(60)).until(() -> statusComments(701).size() == 1);
        assertThat(count("POST", "/issues/701/comments")).isEqualTo(4);
        assertThat(eventTypes(http, id)).doesNotContain("job_retry", "status_comment_failed");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("pending");
    }

    @Test
    void aPlanWaitingForApprovalIsApprovedFromAComment() {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Http http = http();
        readyProject(http, origin("flow8"), Map.of("ci_provider", "github", "secrets", Map.of("GITHUB_TOKEN", "gh-token-1"),
                "plan_approval", "required", "intake", Map.of("label", LABEL, "auto_start", true)));
        long id = deliver("issues", labeled("flow8", 801, "Needs a plan check", "")).json()
                .path("results").get(0).path("protocol_run_id").asLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> eventTypes(http, id).contains("plan_ready"));
        assertThat(http.get("/protocols/" + id).json().path("awaiting_plan_approval").asBoolean()).isTrue();

        Http.Response reject = deliver("issue_comment", comment("flow8", 801, "Codertocat", "OWNER", "/deksdenflow reject_plan"));
        assertThat(reject.json().path("results").get(0).path("action").asText()).isEqualTo("rejected"); // no feedback: 422 over REST
        Http.Response approve = deliver("issue_comment", comment("flow8", 801, "Codertocat", "OWNER", "/deksdenflow approve_plan"));
        assertThat(approve.json().path("results").get(0).path("action").asText()).as(approve.body()).isEqualTo("executed");
        awaitProtocol(http, id, "completed");
        assertThat(eventTypes(http, id)).contains("plan_approved", "command_executed");
    }

    @Test
    void aReviewFixThatFailsTheQaGateIsNotPushed() throws Exception {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Http http = http();
        long project = intakeProject("flow9", true);
        long id = deliver("issues", labeled("flow9", 901, "Gated work", "")).json()
                .path("results").get(0).path("protocol_run_id").asLong();
        awaitProtocol(http, id, "completed");
        await().atMost(Duration.ofSeconds(60)).until(() -> !http.get("/protocols/" + id).json().path("pr_url").isNull());
        String url = http.get("/projects/" + project).json().path("git_url").asText();
        String head = TestRepos.gitBare(TestRepos.originPath(url), "rev-parse", "0001-gated-work").strip();
        long pr = prNumber("flow9");
        // the fix run changes files; the QA agent then fails it
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-nocommit\",\"qa\":\"qa-fail\"},\"steps\":1}");
        REVIEWS.clear();
        REVIEW_COMMENTS.clear();
        REVIEW_COMMENTS.add(listedComment(9901, "Codertocat", "Rename this."));

        deliver("pull_request_review_comment", reviewComment("flow9", pr, 9901, "Codertocat", "Rename this."));

        await().atMost(Duration.ofSeconds(90)).until(() -> eventTypes(http, id).contains("review_fix_failed"));
        assertThat(event(http, id, "review_fix_failed").path("metadata").path("reason").asText()).contains("QA gate");
        assertThat(eventTypes(http, id)).doesNotContain("review_fix_pushed");
        assertThat(TestRepos.gitBare(TestRepos.originPath(url), "rev-parse", "0001-gated-work").strip()).isEqualTo(head);
        await().atMost(Duration.ofSeconds(30)).until(() -> COMMENTS.values().stream()
                .anyMatch(c -> (long) c[0] == pr && ((String) c[1]).contains("was not pushed")));
    }

    @Test
    void lateDeliveriesDoNotUndoWhatTheIssueIsNow() {
        Http http = http();
        long project = intakeProject("flow0", false);
        long id = deliver("issues", labeled("flow0", 1001, "Stays labelled", "")).json()
                .path("results").get(0).path("protocol_run_id").asLong();
        deliver("issue_comment", comment("flow0", 1001, "Codertocat", "OWNER", "/deksdenflow start"));
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isNotEqualTo("pending");

        // an unlabeled delivery that arrives after the issue was labelled again: the forge says labelled, nothing pauses
        ObjectNode unlabeled = Fixtures.octokit("issues", "unlabeled");
        adjustRepository(unlabeled, "flow0");
        ((ObjectNode) unlabeled.path("issue")).put("number", 1001).putArray("labels");
        ((ObjectNode) unlabeled.path("label")).put("name", LABEL);
        Http.Response late = deliver("issues", bytes(unlabeled));
        assertThat(late.json().path("status").asText()).as(late.body()).isEqualTo("ignored");
        assertThat(late.json().path("reason").asText()).contains("a late delivery");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isNotEqualTo("paused");

        // a labeled delivery for an issue whose label is gone by now: no protocol
        UNLABELLED.add(1002L);
        Http.Response stale = deliver("issues", labeled("flow0", 1002, "Label already removed", ""));
        assertThat(stale.json().path("status").asText()).as(stale.body()).isEqualTo("ignored");
        assertThat(stale.json().path("reason").asText()).contains("a late delivery");
        assertThat(http.get("/projects/" + project + "/protocols?limit=100").json().path("items").size()).isEqualTo(1);
    }
}
