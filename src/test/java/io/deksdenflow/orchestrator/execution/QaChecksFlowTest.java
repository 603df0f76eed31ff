package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.TestRepos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Evidence-backed QA: declared checks run (in the agents' sandbox) before the QA agent, whose PASS
 * cannot overrule a failing check. The stand-in QA agent always says PASS here.
 */
@TestPropertySource(properties = {"deksdenflow.auto-qa-after-exec=true"})
class QaChecksFlowTest extends FlowTestBase {
    static final String AGENT = "{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":1}";

    private record Started(long protocolId, String gitUrl, String name) {}

    private Started start(String owner, String name, Object projectChecks, Object protocolChecks) {
        agentScript(AGENT);
        Http http = http();
        String url = origin(owner);
        long projectId = readyProject(http, url, Map.of("checks", projectChecks)).path("id").asLong();
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("protocol_name", name, "auto_advance", true));
        if (protocolChecks != null) body.put("checks", protocolChecks);
        Http.Response created = http.post("/projects/" + projectId + "/protocols", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return new Started(id, url, name);
    }

    private JsonNode onlyStep(Http http, long protocolId) {
        JsonNode items = http.get("/protocols/" + protocolId + "/steps").json().path("items");
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private List<JsonNode> checkRuns(Http http, long stepId) {
        List<JsonNode> out = new ArrayList<>();
        http.get("/steps/" + stepId + "/runs").json().path("items").forEach(r -> {
            if (r.path("phase").asText().equals("check")) out.add(r);
        });
        return out;
    }

    @Test
    void anAgentPassOverAFailingCheckIsAFailDecidedByTheChecks() {
        Started s = start("checks-fail", "0001-failing-check", List.of(
                Map.of("name", "lint", "command", List.of("true")),
                Map.of("name", "tests", "command", List.of("sh", "-c", "echo boom-from-tests; exit 3"))), null);
        Http http = http();
        awaitProtocol(http, s.protocolId(), "blocked");
        JsonNode step = onlyStep(http, s.protocolId());
        assertThat(step.path("status").asText()).isEqualTo("failed");
        assertThat(step.path("qa_verdict").asText()).isEqualTo("fail");
        assertThat(step.path("qa_verdict_source").asText()).isEqualTo("checks");
        JsonNode checks = step.path("qa_checks");
        assertThat(checks).hasSize(2);
        assertThat(checks.get(0).path("name").asText()).isEqualTo("lint");
        assertThat(checks.get(0).path("exit_code").asInt()).isZero();
        assertThat(checks.get(1).path("name").asText()).isEqualTo("tests");
        assertThat(checks.get(1).path("exit_code").asInt()).isEqualTo(3);
        assertThat(checks.get(1).path("output_tail").asText()).contains("boom-from-tests");
        assertThat(checks.get(1).path("duration_ms").isNumber()).isTrue();

        JsonNode event = event(http, s.protocolId(), "qa_checks").path("metadata");
        assertThat(event.path("passed").asBoolean()).isFalse();
        assertThat(event.path("checks")).hasSize(2);
        JsonNode failed = event(http, s.protocolId(), "qa_failed").path("metadata");
        assertThat(failed.path("verdict_source").asText()).isEqualTo("checks");
        assertThat(failed.path("agent_verdict").asText()).isEqualTo("pass");
        assertThat(failed.path("reason").asText()).contains("check 'tests' exited 3");

        // each check is a run of phase "check" with its own log
        List<JsonNode> runs = checkRuns(http, step.path("id").asLong());
        assertThat(runs).extracting(r -> r.path("model").asText()).containsExactly("lint", "tests");
        JsonNode log = http.get("/runs/" + runs.get(1).path("id").asLong() + "/log").json();
        assertThat(log.path("log").asText()).contains("boom-from-tests");

        // the QA report on origin records who decided
        String report = TestRepos.gitBare(TestRepos.originPath(s.gitUrl()), "show",
                s.name() + ":.protocols/" + s.name() + "/00-setup.qa.md");
        assertThat(report).contains("**Verdict:** PASS", "verdict_source: checks", "Final verdict: fail");
    }

    @Test
    void aCheckCommandsRefusedConnectionIsRecordedAsAnEventOfTheCheckPhase() {
        Started s = start("checks-egress", "0004-check-egress", List.of(Map.of("name", "fetch",
                "command", List.of("sh", "-c", "curl -s -o /dev/null https://denied.example.test/; echo probed"))), null);
        Http http = http();
        awaitProtocol(http, s.protocolId(), "completed");
        JsonNode step = onlyStep(http, s.protocolId());
        assertThat(step.path("qa_checks").get(0).path("output_tail").asText()).contains("probed");
        JsonNode denied = event(http, s.protocolId(), "agent_egress_denied");
        assertThat(denied.path("metadata").path("host").asText()).isEqualTo("denied.example.test");
        assertThat(denied.path("metadata").path("port").asInt()).isEqualTo(443);
        assertThat(denied.path("metadata").path("phase").asText()).isEqualTo("check");
        assertThat(denied.path("step_run_id").asLong()).isEqualTo(step.path("id").asLong());
    }

    @Test
    void greenChecksAndAnAgentPassCompleteTheStepAndTheProtocolsChecksOverrideTheProjects() {
        Started s = start("checks-green", "0002-green-checks",
                List.of(Map.of("name", "never-run", "command", List.of("false"))),
                List.of(Map.of("name", "build", "command", "sh -c 'echo built'"),
                        Map.of("name", "listing", "command", List.of("ls"), "timeout_seconds", 30)));
        Http http = http();
        awaitProtocol(http, s.protocolId(), "completed");
        JsonNode step = onlyStep(http, s.protocolId());
        assertThat(step.path("status").asText()).isEqualTo("completed");
        assertThat(step.path("qa_verdict_source").asText()).isEqualTo("agent");
        assertThat(step.path("qa_checks")).extracting(c -> c.path("name").asText()).containsExactly("build", "listing");
        assertThat(step.path("qa_checks")).allSatisfy(c -> assertThat(c.path("exit_code").asInt()).isZero());
        assertThat(step.path("qa_checks").get(0).path("output_tail").asText()).contains("built");
        assertThat(event(http, s.protocolId(), "qa_checks").path("metadata").path("passed").asBoolean()).isTrue();
        JsonNode protocol = http.get("/protocols/" + s.protocolId()).json();
        assertThat(protocol.path("checks")).extracting(c -> c.path("name").asText()).containsExactly("build", "listing");
        assertThat(protocol.path("checks").get(0).path("command")).extracting(JsonNode::asText)
                .containsExactly("sh", "-c", "echo built");
    }

    @Test
    void aCheckThatTimesOutFailsTheStepNamingIt() {
        Started s = start("checks-timeout", "0003-slow-check",
                List.of(Map.of("name", "slow-suite", "command", List.of("sleep", "60"), "timeout_seconds", 1)), null);
        Http http = http();
        awaitProtocol(http, s.protocolId(), "blocked");
        JsonNode step = onlyStep(http, s.protocolId());
        assertThat(step.path("status").asText()).isEqualTo("failed");
        assertThat(step.path("qa_verdict_source").asText()).isEqualTo("checks");
        JsonNode check = step.path("qa_checks").get(0);
        assertThat(check.path("timed_out").asBoolean()).isTrue();
        assertThat(check.path("exit_code").isNull()).isTrue();
        assertThat(check.path("duration_ms").asLong()).isBetween(900L, 30_000L);
        assertThat(step.path("last_error").asText()).contains("check 'slow-suite' timed out");
    }

    @Test
    void malformedChecksAreRefusedNamingTheField() {
        Http http = http();
        String url = origin("checks-bad");
        for (Object[] c : new Object[][] {
                {List.of(Map.of("name", "x")), "checks[0].command"},
                {List.of(Map.of("name", "x", "command", List.of())), "checks[0].command"},
                {List.of(Map.of("name", "x", "command", List.of("a", 3))), "checks[0].command"},
                {List.of(Map.of("name", "x", "command", "ls", "timeout_seconds", -1)), "checks[0].timeout_seconds"},
                {List.of(Map.of("name", "", "command", "ls")), "checks[0].name"},
                {List.of(Map.of("name", "x", "command", "ls", "extra", 1)), "checks[0].extra"},
                {"ls", "checks"},
                {Map.of("max_tokens_per_step", -1), "budget.max_tokens_per_step"},
                {Map.of("max_cost_usd_per_project_month", "ten"), "budget.max_cost_usd_per_project_month"},
        }) {
            String field = (String) c[1];
            String key = field.startsWith("budget") ? "budget" : "checks";
            Http.Response r = http.post("/projects", Map.of("name", "bad-" + field.hashCode(), "git_url", url, key, c[0]));
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.json().path("error").path("field").asText()).as(r.body()).isEqualTo(field);
        }
    }
}
