package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.deksdenflow.orchestrator.forge.Fixtures;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The front door on GitLab: GitLab's documented {@code Issue Hook} and {@code Note Hook} payloads (adjusted in
 * project, numbers, label and author), with the webhook token, against a GitLab REST stand-in recording every
 * request: a labelled issue becomes a protocol with one status note edited in place, a Developer's
 * {@code /deksdenflow} note steers it and a Guest's is ignored.
 */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + GitlabIssueFlowTest.SECRET,
        "deksdenflow.auto-qa-after-exec=true", "deksdenflow.status-comment-min-seconds=1",
        "deksdenflow.intake-poll-seconds=0"})
class GitlabIssueFlowTest extends FlowTestBase {
    static final String SECRET = "gitlab-flow-secret";
    static final String LABEL = "deksdenflow";
    static final long DEVELOPER = 41;
    static final long GUEST = 42;

    record Seen(String method, String path, String query, String body) {}

    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    /** The stand-in's notes: id → [issue iid, body]. */
    static final Map<Long, Object[]> NOTES = new ConcurrentHashMap<>();
    static final AtomicLong NEXT_NOTE = new AtomicLong(7000);
    static final HttpServer GITLAB = start();

    private static final Pattern ISSUE_NOTES = Pattern.compile("/gl/api/v4/projects/[^/]+/issues/(\\d+)/notes");
    private static final Pattern NOTE = Pattern.compile("/gl/api/v4/projects/[^/]+/issues/(\\d+)/notes/(\\d+)");
    private static final Pattern MEMBER = Pattern.compile("/gl/api/v4/projects/[^/]+/members/all/(\\d+)");

    static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/gl/", GitlabIssueFlowTest::answer);
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void answer(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        SEEN.add(new Seen(method, path, ex.getRequestURI().getRawQuery(), body));
        int status = 200;
        Object answer = Map.of();
        Matcher m;
        if ((m = ISSUE_NOTES.matcher(path)).matches() && method.equals("POST")) {
            long id = NEXT_NOTE.incrementAndGet();
            NOTES.put(id, new Object[] {Long.parseLong(m.group(1)), Fixtures.parse(body).path("body").asText()});
            status = 201;
            answer = Map.of("id", id);
        } else if ((m = ISSUE_NOTES.matcher(path)).matches()) {
            long iid = Long.parseLong(m.group(1));
            List<Map<String, Object>> list = new ArrayList<>();
            NOTES.forEach((id, n) -> {
                if ((long) n[0] == iid) list.add(Map.of("id", id, "body", n[1]));
            });
            answer = list;
        } else if ((m = NOTE.matcher(path)).matches() && method.equals("PUT")) {
            Object[] n = NOTES.get(Long.parseLong(m.group(2)));
            if (n == null) {
                status = 404;
            } else {
                n[1] = Fixtures.parse(body).path("body").asText();
                answer = Map.of("id", Long.parseLong(m.group(2)));
            }
        } else if ((m = MEMBER.matcher(path)).matches()) {
            long user = Long.parseLong(m.group(1));
            if (user == DEVELOPER) {
                answer = Map.of("id", user, "access_level", 30);
            } else if (user == GUEST) {
                answer = Map.of("id", user, "access_level", 10);
            } else {
                status = 404;
                answer = Map.of("message", "404 Not found");
            }
        } else if (path.endsWith("/merge_requests") && method.equals("POST")) {
            status = 201;
            answer = Map.of("web_url", "https://gitlab.example/glflow/origin/-/merge_requests/5", "iid", 5, "id", 905);
        } else if (path.matches("/gl/api/v4/projects/[^/]+/issues/\\d+/links")) {
            answer = List.of();
        } else {
            status = 404;
            answer = Map.of("message", "404 Not found");
        }
        byte[] bytes = Fixtures.MAPPER.writeValueAsBytes(answer);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @DynamicPropertySource
    static void forge(DynamicPropertyRegistry r) {
        r.add("deksdenflow.gitlab.api-base", () -> "http://127.0.0.1:" + GITLAB.getAddress().getPort() + "/gl/api/v4");
    }

    @AfterAll
    static void stop() {
        GITLAB.stop(0);
    }

    private static void adjustProject(ObjectNode p, String owner) {
        ObjectNode project = (ObjectNode) p.path("project");
        project.put("path_with_namespace", owner + "/origin");
        project.put("web_url", "https://gitlab.example/" + owner + "/origin");
        project.put("git_http_url", "https://gitlab.example/" + owner + "/origin.git");
        project.put("git_ssh_url", "git@gitlab.example:" + owner + "/origin.git");
        project.put("url", "git@gitlab.example:" + owner + "/origin.git");
        project.put("homepage", "https://gitlab.example/" + owner + "/origin");
        p.remove("repository");
    }

    /** GitLab's documented Issue Hook (an open), for issue {@code iid} of {@code owner/origin}, labelled {@code LABEL}. */
    static byte[] openedIssue(String owner, long iid, String title) {
        ObjectNode p = Fixtures.json("gitlab-docs/issue.json");
        adjustProject(p, owner);
        p.remove("changes");
        p.putArray("labels").addObject().put("title", LABEL);
        ObjectNode attrs = (ObjectNode) p.path("object_attributes");
        attrs.put("iid", iid);
        attrs.put("title", title);
        attrs.put("url", "https://gitlab.example/" + owner + "/origin/-/issues/" + iid);
        attrs.putArray("labels").addObject().put("title", LABEL);
        return bytes(p);
    }

    /** GitLab's documented Note Hook on an issue: {@code userId} writes {@code text} on issue {@code iid}. */
    static byte[] note(String owner, long iid, long userId, String username, String text) {
        ObjectNode p = Fixtures.json("gitlab-docs/note_issue.json");
        adjustProject(p, owner);
        ((ObjectNode) p.path("user")).put("id", userId).put("username", username);
        ObjectNode attrs = (ObjectNode) p.path("object_attributes");
        attrs.put("id", NEXT_NOTE.incrementAndGet() + 100_000);
        attrs.put("note", text);
        ((ObjectNode) p.path("issue")).put("iid", iid).put("state", "opened");
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
        return http().postBytes("/webhooks/gitlab", body, Map.of("X-Gitlab-Event", event,
                "X-Gitlab-Event-UUID", UUID.randomUUID().toString(), "X-Gitlab-Token", SECRET));
    }

    private static List<Long> statusNotes(long iid) {
        List<Long> ids = new ArrayList<>();
        NOTES.forEach((id, n) -> {
            if ((long) n[0] == iid && ((String) n[1]).contains("<!-- deksdenflow:status")) ids.add(id);
        });
        return ids;
    }

    @Test
    void aLabelledIssueGetsOneLiveStatusNoteAndDevelopersSteerIt() {
        agentScript("{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":1}");
        Http http = http();
        readyProject(http, origin("glflow"), Map.of("ci_provider", "gitlab",
                "secrets", Map.of("GITLAB_TOKEN", "gl-token-1"), "intake", Map.of("label", LABEL, "auto_start", false)));

        Http.Response r = deliver("Issue Hook", openedIssue("glflow", 31, "Add the export"));
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        long id = r.json().path("results").get(0).path("protocol_run_id").asLong();
        assertThat(http.get("/protocols/" + id).json().path("issue_url").asText())
                .isEqualTo("https://gitlab.example/glflow/origin/-/issues/31");
        await().atMost(Duration.ofSeconds(30)).until(() -> statusNotes(31).size() == 1);

        // a Guest's command: recorded, not executed
        Http.Response guest = deliver("Note Hook", note("glflow", 31, GUEST, "guest", "/deksdenflow start"));
        assertThat(guest.json().path("results").get(0).path("action").asText()).as(guest.body()).isEqualTo("ignored");
        assertThat(http.get("/protocols/" + id).json().path("status").asText()).isEqualTo("pending");
        assertThat(SEEN).anySatisfy(s -> assertThat(s.path()).isEqualTo("/gl/api/v4/projects/glflow%2Forigin/members/all/" + GUEST));

        // a Developer's: executed, the protocol runs to its end, the one status note follows it
        Http.Response dev = deliver("Note Hook", note("glflow", 31, DEVELOPER, "dev", "/deksdenflow start"));
        assertThat(dev.json().path("results").get(0).path("action").asText()).as(dev.body()).isEqualTo("executed");
        awaitProtocol(http, id, "planned");
        assertThat(deliver("Note Hook", note("glflow", 31, DEVELOPER, "dev", "/deksdenflow run_next_step"))
                .json().path("results").get(0).path("action").asText()).isEqualTo("executed");
        awaitProtocol(http, id, "completed");
        await().atMost(Duration.ofSeconds(60)).until(() -> statusNotes(31).size() == 1
                && ((String) NOTES.get(statusNotes(31).get(0))[1]).contains("**completed**"));
        long statusNote = statusNotes(31).get(0);
        assertThat(SEEN.stream().filter(s -> s.method().equals("PUT")
                && s.path().equals("/gl/api/v4/projects/glflow%2Forigin/issues/31/notes/" + statusNote)).count()).isPositive();
        assertThat(SEEN).filteredOn(s -> s.method().equals("POST") && s.path().endsWith("/issues/31/notes"))
                .allSatisfy(s -> assertThat(s.body()).doesNotContain("gl-token-1"));
        // replies to the two commands, each once; the status note once
        assertThat(NOTES.values().stream().filter(n -> (long) n[0] == 31 && ((String) n[1]).contains("`/deksdenflow start`: done")).count())
                .isEqualTo(1);
        assertThat(SEEN.stream().filter(s -> s.method().equals("POST") && s.path().endsWith("/issues/31/notes")
                && s.body().contains("deksdenflow:status")).count()).isEqualTo(1);
    }
}
