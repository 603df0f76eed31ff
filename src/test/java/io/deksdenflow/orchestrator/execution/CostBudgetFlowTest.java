package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.StandInAgent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Costs from the price table and budgets that pause and ask. Every stand-in call reports 800 input
 * tokens (100 of them cached) and 200 output tokens: 1,000 tokens, and with the table's
 * "priced-model" (USD 2 / 0.5 / 100 per million) (700 × 2 + 100 × 0.5 + 200 × 100) / 1e6 = $0.02145.
 * Agent calls are counted from the stand-in's own log (one JSON line per call it was started for),
 * not from the service's records, so a call the service made but did not record is still counted.
 */
@TestPropertySource(properties = {"deksdenflow.token-budget-mode=pause", "deksdenflow.auto-qa-after-exec=true",
        "deksdenflow.model-prices={\"priced-model\": {\"input\": 2, \"cached_input\": 0.5, \"output\": 100}}"})
class CostBudgetFlowTest extends FlowTestBase {
    static final double CALL_COST = 0.02145;
    static final Map<String, String> PRICED = Map.of("planning", "priced-model", "exec", "priced-model", "qa", "priced-model");

    private static String agent(int steps) {
        return "{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},\"steps\":" + steps
                + ",\"usage\":[800,100,200]}";
    }

    private long project(Http http, String owner, Map<String, String> models, Map<String, Object> budget) {
        Map<String, Object> extra = new java.util.LinkedHashMap<>();
        extra.put("default_models", models);
        if (budget != null) extra.put("budget", budget);
        return readyProject(http, origin(owner), extra).path("id").asLong();
    }

    private long startProtocol(Http http, long projectId, String name) {
        long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name, "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return id;
    }

    /** Where the stand-in writes a line per call (the sandbox lets it write beside its script). */
    static final Path CALL_LOG = ROOT.resolve("agent").resolve("calls-cost-budget.jsonl");
    static final ObjectMapper JSON = new ObjectMapper();

    /** FlowTestBase's codex wrapper, with or without the stand-in's call log. */
    static void codexWrapper(boolean log) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STAND_IN_SCRIPT", SCRIPT.toString());
        env.put("STAND_IN_PID_FILE", ROOT.resolve("agent/pids").toString());
        if (log) env.put("STAND_IN_ARGV_FILE", CALL_LOG.toString());
        StandInAgent.wrapper(ROOT.resolve("agent"), "codex", env);
    }

    @BeforeEach
    void freshCallLog() throws IOException {
        Files.deleteIfExists(CALL_LOG);
        codexWrapper(true);
    }

    @AfterAll
    static void plainWrapper() {
        codexWrapper(false);
    }

    /** The phase of every call the stand-in agent was started for in this test, in order (its own log). */
    private static List<String> agentCalls() {
        List<String> phases = new ArrayList<>();
        try {
            if (!Files.exists(CALL_LOG)) return phases;
            for (String line : Files.readAllLines(CALL_LOG)) {
                if (!line.isBlank()) phases.add(JSON.readTree(line).path("phase").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return phases;
    }

    @Test
    void thePriceTableGivesAKnownCostPerRunStepProtocolAndProject() {
        agentScript(agent(1));
        Http http = http();
        long projectId = project(http, "priced", Map.of("planning", "priced-model", "exec", "priced-model",
                "qa", "mystery-model"), null);
        long id = startProtocol(http, projectId, "0001-priced");
        JsonNode done = awaitProtocol(http, id, "completed");
        JsonNode step = http.get("/protocols/" + id + "/steps").json().path("items").get(0);
        List<JsonNode> runs = new ArrayList<>();
        http.get("/steps/" + step.path("id").asLong() + "/runs").json().path("items").forEach(runs::add);
        assertThat(runs).extracting(r -> r.path("phase").asText()).containsExactly("exec", "qa");
        JsonNode exec = runs.get(0);
        assertThat(exec.path("cost_usd").asDouble()).isCloseTo(CALL_COST, within(1e-9));
        assertThat(exec.path("cost_source").asText()).isEqualTo("price_table");
        assertThat(exec.path("tokens_cached").asLong()).isEqualTo(100);
        // a model missing from the table costs nothing and says so
        JsonNode qa = runs.get(1);
        assertThat(qa.path("cost_usd").asDouble()).isZero();
        assertThat(qa.path("cost_source").asText()).isEqualTo("unpriced");

        assertThat(step.path("cost_usd").asDouble()).isCloseTo(CALL_COST, within(1e-9));
        assertThat(done.path("cost_usd").asDouble()).isCloseTo(2 * CALL_COST, within(1e-9)); // planning + exec
        assertThat(done.path("tokens_used").asLong()).isEqualTo(3000);
        JsonNode usage = http.get("/projects/" + projectId).json().path("usage");
        assertThat(usage.path("cost_usd").asDouble()).isCloseTo(2 * CALL_COST, within(1e-9));
        assertThat(usage.path("cost_usd_month").asDouble()).isCloseTo(2 * CALL_COST, within(1e-9));
        assertThat(usage.path("tokens_used").asLong()).isEqualTo(3000);
        assertThat(event(http, id, "step_executed").path("metadata").path("cost_source").asText()).isEqualTo("price_table");
        assertThat(http.get("/metrics").body()).containsPattern("engine_cost_usd_sum\\{[^}]*phase=\"exec\"[^}]*} [0-9.]+");
    }

    @Test
    void pauseStopsBeforeTheCallThatWouldExceedAndRaiseBudgetResumesItToCompletion() {
        agentScript(agent(3));
        Http http = http();
        long projectId = project(http, "pause", PRICED, Map.of("max_tokens_per_protocol", 2500));
        long id = startProtocol(http, projectId, "0002-pause");
        JsonNode paused = awaitProtocol(http, id, "paused");
        JsonNode hold = paused.path("budget_exceeded");
        assertThat(hold.path("limit").asText()).isEqualTo("max_tokens_per_protocol");
        assertThat(hold.path("used").asDouble() + hold.path("estimate").asDouble()).isGreaterThan(2500);
        assertThat(paused.path("allowed_actions")).extracting(JsonNode::asText).contains("raise_budget", "resume", "cancel");
        long used = paused.path("tokens_used").asLong();
        assertThat(hold.path("used").asLong()).isEqualTo(used);
        // the refused call was never made: every call the agent saw is counted, 1,000 tokens each
        List<String> beforePause = agentCalls();
        assertThat(beforePause).isNotEmpty().startsWith("planning");
        assertThat(beforePause.size() * 1000L).isEqualTo(used);
        JsonNode exceeded = event(http, id, "budget_exceeded").path("metadata");
        assertThat(exceeded.path("mode").asText()).isEqualTo("pause");
        assertThat(exceeded.path("limit_source").asText()).isEqualTo("project budget.max_tokens_per_protocol");
        assertThat(eventTypes(http, id)).contains("protocol_paused").doesNotContain("protocol_blocked", "job_failed");

        // bad bodies are 422s naming the field; a raise below what is used too
        for (Object[] bad : new Object[][] {{Map.of(), "max_tokens"}, {Map.of("max_tokens", "many"), "max_tokens"},
                {Map.of("max_tokens", 10), "max_tokens"}, {Map.of("max_cost_usd", -1), "max_cost_usd"},
                {Map.of("max_tokens", 100000, "limit", 1), "limit"}}) {
            Http.Response r = http.post("/protocols/" + id + "/actions/raise_budget", bad[0]);
            assertThat(r.status()).as(r.body()).isEqualTo(422);
            assertThat(r.json().path("error").path("field").asText()).isEqualTo(bad[1]);
        }
        Http.Response raised = http.post("/protocols/" + id + "/actions/raise_budget", Map.of("max_tokens", 100000));
        assertThat(raised.status()).as(raised.body()).isEqualTo(202);
        assertThat(raised.json().path("protocol").path("max_tokens").asLong()).isEqualTo(100000);
        JsonNode done = awaitProtocol(http, id, "completed");
        // resumed where it stopped: 1 planning + 3 exec + 3 QA calls, none repeated
        assertThat(done.path("tokens_used").asLong()).isEqualTo(7000);
        assertThat(agentCalls()).hasSize(7).startsWith(beforePause.toArray(String[]::new));
        assertThat(agentCalls()).filteredOn("planning"::equals).hasSize(1);
        assertThat(agentCalls()).filteredOn("exec"::equals).hasSize(3);
        assertThat(agentCalls()).filteredOn("qa"::equals).hasSize(3);
        assertThat(done.path("budget_exceeded").isNull()).isTrue();
        assertThat(eventTypes(http, id)).contains("budget_raised", "protocol_resumed", "protocol_completed");
        // raise_budget is only for a paused protocol
        Http.Response late = http.post("/protocols/" + id + "/actions/raise_budget", Map.of("max_tokens", 200000));
        assertThat(late.status()).isEqualTo(409);
    }

    @Test
    void aMonthlyProjectCapSpansProtocols() {
        agentScript(agent(1));
        Http http = http();
        // protocol A's calls stay below the cap before each call; its last one passes it
        long projectId = project(http, "monthly", PRICED, Map.of("max_cost_usd_per_project_month", 0.06));
        long a = startProtocol(http, projectId, "0003-first");
        JsonNode first = awaitProtocol(http, a, "completed");
        assertThat(first.path("cost_usd").asDouble()).isCloseTo(3 * CALL_COST, within(1e-9));
        assertThat(eventTypes(http, a)).contains("budget_overrun");

        long b = startProtocol(http, projectId, "0004-second");
        JsonNode paused = awaitProtocol(http, b, "paused");
        assertThat(paused.path("budget_exceeded").path("limit").asText()).isEqualTo("max_cost_usd_per_project_month");
        assertThat(paused.path("budget_exceeded").path("used").asDouble()).isCloseTo(3 * CALL_COST, within(1e-9));
        assertThat(paused.path("budget_exceeded").path("phase").asText()).isEqualTo("planning");
        assertThat(paused.path("tokens_used").asLong()).isZero();
        assertThat(http.get("/projects/" + projectId).json().path("usage").path("cost_usd_month").asDouble())
                .isCloseTo(3 * CALL_COST, within(1e-9));

        // a raise for this protocol lets it spend past the project's monthly cap
        assertThat(http.post("/protocols/" + b + "/actions/raise_budget", Map.of("max_cost_usd", 1.0)).status()).isEqualTo(202);
        JsonNode second = awaitProtocol(http, b, "completed");
        assertThat(second.path("cost_usd").asDouble()).isCloseTo(3 * CALL_COST, within(1e-9));
        assertThat(http.get("/projects/" + projectId).json().path("usage").path("cost_usd").asDouble())
                .isCloseTo(6 * CALL_COST, within(1e-9));
    }

    @Test
    void theOpenApiDocumentDescribesTheNewBodies() {
        Http.Response r = http().get("/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("paths").has("/protocols/{id}/actions/raise_budget")).isTrue();
        String schemas = r.json().path("components").path("schemas").toString();
        assertThat(schemas).contains("RaiseBudget").containsPattern("max_?[cC]ost_?[uU]sd").contains("checks").contains("budget");
    }
}
