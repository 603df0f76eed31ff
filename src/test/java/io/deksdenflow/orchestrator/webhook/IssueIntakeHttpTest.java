package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.forge.Fixtures;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Issue intake over real HTTP: signed {@code issues} deliveries through the forges' webhook routes. */
@TestPropertySource(properties = {"deksdenflow.webhook-token=" + WebhookHttpTest.SECRET,
        "deksdenflow.api-token=" + WebhookHttpTest.API_TOKEN,
        "deksdenflow.git-local=true"})
class IssueIntakeHttpTest extends WebhookTestSupport {
    private static final String SECRET = WebhookHttpTest.SECRET;

    @Override
    protected Http api() {
        return http().header("Authorization", "Bearer " + WebhookHttpTest.API_TOKEN);
    }

    private static byte[] githubIssue(String sfx, String action, long number, String title, List<String> labels,
                                      String changed) {
        String repo = GH_REPO + sfx;
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("number", number);
        issue.put("title", title);
        issue.put("body", "The login page\nneeds a button.");
        issue.put("html_url", "https://github.com/" + repo + "/issues/" + number);
        issue.put("labels", labels.stream().map(l -> Map.of("name", l)).toList());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("action", action);
        p.put("issue", issue);
        if (changed != null) p.put("label", Map.of("name", changed));
        p.put("repository", Map.of("full_name", repo, "clone_url", "https://github.com/" + repo + ".git",
                "html_url", "https://github.com/" + repo, "ssh_url", "git@github.com:" + repo + ".git"));
        return json(p);
    }

    private static byte[] json(Object o) {
        try {
            return Fixtures.MAPPER.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long intakeProject(String sfx, boolean autoStart) {
        return githubProject(sfx, Map.of("intake", Map.of("label", "agent", "auto_start", autoStart,
                "engines", Map.of()))).get("id").asLong();
    }

    private List<JsonNode> protocolsOf(long project) {
        List<JsonNode> out = new ArrayList<>();
        api().get("/projects/" + project + "/protocols?limit=100").json().get("items").forEach(out::add);
        return out;
    }

    @Test
    void aLabelledIssueBecomesOneProtocolWhateverIsRedelivered() {
        String sfx = repoSuffix();
        long project = intakeProject(sfx, false);
        byte[] opened = githubIssue(sfx, "opened", 42, "Add a Login button!", List.of("bug", "agent"), null);

        Http.Response r = github("issues", opened, SECRET);

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isEqualTo("accepted");
        JsonNode result = r.json().get("results").get(0);
        assertThat(result.get("project_id").asLong()).isEqualTo(project);
        assertThat(result.get("action").asText()).isEqualTo("created");
        long id = result.get("protocol_run_id").asLong();
        JsonNode p = api().get("/protocols/" + id).json();
        assertThat(p.get("protocol_name").asText()).isEqualTo("0001-add-a-login-button");
        assertThat(p.get("description").asText()).isEqualTo("Add a Login button!\n\nThe login page\nneeds a button.");
        assertThat(p.get("issue_number").asLong()).isEqualTo(42);
        assertThat(p.get("issue_url").asText()).isEqualTo("https://github.com/" + GH_REPO + sfx + "/issues/42");
        assertThat(p.get("status").asText()).isEqualTo("pending");
        JsonNode created = lastEvent(id, "intake_created");
        assertThat(created.get("metadata").get("issue_number").asLong()).isEqualTo(42);
        assertThat(created.get("metadata").get("issue_url").asText()).endsWith("/issues/42");

        Http.Response again = github("issues", opened, SECRET); // a new delivery id: not a duplicate
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        assertThat(again.json().get("results").get(0).get("action").asText()).isEqualTo("existing");
        assertThat(again.json().get("results").get(0).get("protocol_run_id").asLong()).isEqualTo(id);
        Http.Response labeled = github("issues",
                githubIssue(sfx, "labeled", 42, "Add a Login button!", List.of("bug", "agent"), "agent"), SECRET);
        assertThat(labeled.json().get("results").get(0).get("action").asText()).isEqualTo("existing");

        assertThat(protocolsOf(project)).hasSize(1);
        assertThat(eventTypes(id).stream().filter("intake_created"::equals).count()).isEqualTo(1);
    }

    @Test
    void autoStartStartsItAndRemovingTheLabelPausesIt() {
        String sfx = repoSuffix();
        long project = intakeProject(sfx, true);

        Http.Response r = github("issues",
                githubIssue(sfx, "labeled", 7, "Fix cache", List.of("agent"), "agent"), SECRET);

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        long id = r.json().get("results").get(0).get("protocol_run_id").asLong();
        assertThat(protocolStatus(id)).isEqualTo("planning"); // started: planning enqueued (no worker in this role)
        assertThat(eventTypes(id)).contains("intake_created", "protocol_started");

        Http.Response unlabeled = github("issues",
                githubIssue(sfx, "unlabeled", 7, "Fix cache", List.of(), "agent"), SECRET);

        assertThat(unlabeled.status()).as(unlabeled.body()).isEqualTo(202);
        assertThat(unlabeled.json().get("results").get(0).get("action").asText()).isEqualTo("paused");
        assertThat(protocolStatus(id)).isEqualTo("paused");
        assertThat(lastEvent(id, "intake_paused").get("metadata").get("reason").asText()).isEqualTo("label_removed");

        // relabelled: the paused protocol stays paused, no second one
        Http.Response relabeled = github("issues",
                githubIssue(sfx, "labeled", 7, "Fix cache", List.of("agent"), "agent"), SECRET);
        assertThat(relabeled.json().get("results").get(0).get("action").asText()).isEqualTo("existing");
        assertThat(protocolStatus(id)).isEqualTo("paused");
        assertThat(protocolsOf(project)).hasSize(1);
    }

    @Test
    void closingAnIssueWhoseProtocolWasNotStartedLeavesItPending() {
        String sfx = repoSuffix();
        intakeProject(sfx, false);
        long id = github("issues", githubIssue(sfx, "opened", 3, "Docs", List.of("agent"), null), SECRET)
                .json().get("results").get(0).get("protocol_run_id").asLong();

        Http.Response closed = github("issues", githubIssue(sfx, "closed", 3, "Docs", List.of("agent"), null), SECRET);

        assertThat(closed.status()).as(closed.body()).isEqualTo(202);
        assertThat(closed.json().get("status").asText()).isEqualTo("ignored");
        assertThat(closed.json().get("reason").asText()).contains("pending");
        assertThat(protocolStatus(id)).isEqualTo("pending");
        assertThat(eventTypes(id)).doesNotContain("intake_paused");
    }

    @Test
    void anIssueWithoutTheLabelOrOfAnotherRepositoryCreatesNothing() {
        String sfx = repoSuffix();
        long project = intakeProject(sfx, false);

        Http.Response unlabelled = github("issues", githubIssue(sfx, "opened", 5, "Nope", List.of("bug"), null), SECRET);
        Http.Response elsewhere = github("issues",
                githubIssue(repoSuffix(), "opened", 6, "Elsewhere", List.of("agent"), null), SECRET);
        Http.Response noIntake = github("issues",
                githubIssue(sfx + "x", "opened", 8, "No intake", List.of("agent"), null), SECRET);

        assertThat(unlabelled.status()).isEqualTo(202);
        assertThat(unlabelled.json().get("status").asText()).isEqualTo("ignored");
        assertThat(unlabelled.json().get("reason").asText()).contains("label 'agent'");
        assertThat(elsewhere.status()).isEqualTo(202);
        assertThat(elsewhere.json().get("status").asText()).isEqualTo("ignored");
        assertThat(noIntake.json().get("status").asText()).isEqualTo("ignored");
        assertThat(protocolsOf(project)).isEmpty();
    }

    @Test
    void aGitlabIssueHookIsTakenInToo() {
        String sfx = repoSuffix();
        String repo = GL_REPO + sfx;
        long project = gitlabProject(sfx, Map.of("intake", Map.of("label", "agent"))).get("id").asLong();
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("iid", 11);
        attrs.put("title", "GitLab: speed up CI");
        attrs.put("description", "Cache the maven repository.");
        attrs.put("url", "https://gitlab.example.com/" + repo + "/-/issues/11");
        attrs.put("action", "open");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("object_kind", "issue");
        payload.put("project", Map.of("path_with_namespace", repo, "git_ssh_url", "git@gitlab.example.com:" + repo + ".git",
                "web_url", "https://gitlab.example.com/" + repo));
        payload.put("object_attributes", attrs);
        payload.put("labels", List.of(Map.of("title", "agent")));

        Http.Response r = gitlab("Issue Hook", json(payload), SECRET);

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().get("results").get(0).get("action").asText()).isEqualTo("created");
        JsonNode p = protocolsOf(project).get(0);
        assertThat(p.get("protocol_name").asText()).isEqualTo("0001-gitlab-speed-up-ci");
        assertThat(p.get("issue_number").asLong()).isEqualTo(11);
    }
}
