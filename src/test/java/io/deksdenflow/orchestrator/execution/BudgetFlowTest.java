package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Token budgets summed across a protocol: the stand-in agent reports 1,000 tokens per call
 * (usage 800 in + 200 out), so a 2,500-token protocol budget is exhausted on the third call.
 */
class BudgetFlowTest {
    static final String AGENT = "{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},"
            + "\"steps\":3,\"usage\":[800,0,200]}";

    abstract static class Base extends FlowTestBase {
        JsonNode runProtocol(String name) {
            agentScript(AGENT);
            Http http = http();
            long projectId = readyProject(http, origin("budget"), Map.of()).path("id").asLong();
            long id = http.post("/projects/" + projectId + "/protocols", Map.of("protocol_name", name, "auto_advance", true))
                    .json().path("id").asLong();
            http.post("/protocols/" + id + "/actions/start", null);
            return http.get("/protocols/" + id).json();
        }
    }

    @Nested
    @TestPropertySource(properties = {"deksdenflow.max-tokens-per-protocol=2500", "deksdenflow.token-budget-mode=strict",
            "deksdenflow.auto-qa-after-exec=true"})
    class Strict extends Base {
        @Test
        void theCallThatWouldExceedTheProtocolBudgetIsNotMade() {
            long id = runProtocol("0001-strict").path("id").asLong();
            Http http = http();
            JsonNode blocked = awaitProtocol(http, id, "blocked");
            long used = blocked.path("tokens_used").asLong();
            assertThat(used).isBetween(1000L, 2500L);
            assertThat(used % 1000).isZero();
            JsonNode exceeded = event(http, id, "budget_exceeded").path("metadata");
            assertThat(exceeded.path("protocol_tokens_used").asLong()).isEqualTo(used);
            assertThat(exceeded.path("mode").asText()).isEqualTo("strict");
            // every call made was counted, and the refused one was never made: calls x 1,000 = total
            long calls = 1; // planning
            for (JsonNode s : http.get("/protocols/" + id + "/steps").json().path("items")) {
                calls += http.get("/steps/" + s.path("id").asLong() + "/runs").json().path("items").size();
            }
            assertThat(calls * 1000).isEqualTo(used);
            assertThat(eventTypes(http, id)).doesNotContain("protocol_completed");
        }
    }

    @Nested
    @TestPropertySource(properties = {"deksdenflow.max-tokens-per-protocol=2500", "deksdenflow.token-budget-mode=warn",
            "deksdenflow.auto-qa-after-exec=true"})
    class Warn extends Base {
        @Test
        void warnRecordsAndCarriesOn() {
            long id = runProtocol("0002-warn").path("id").asLong();
            Http http = http();
            JsonNode done = awaitProtocol(http, id, "completed");
            assertThat(done.path("tokens_used").asLong()).isEqualTo(7000);
            assertThat(eventTypes(http, id)).contains("budget_warning").doesNotContain("budget_exceeded");
        }
    }

    @Nested
    @TestPropertySource(properties = {"deksdenflow.max-tokens-per-protocol=2500", "deksdenflow.token-budget-mode=off",
            "deksdenflow.auto-qa-after-exec=true"})
    class Off extends Base {
        @Test
        void offIgnoresTheLimits() {
            long id = runProtocol("0003-off").path("id").asLong();
            Http http = http();
            JsonNode done = awaitProtocol(http, id, "completed");
            assertThat(done.path("tokens_used").asLong()).isEqualTo(7000);
            assertThat(eventTypes(http, id)).doesNotContain("budget_warning", "budget_exceeded");
        }
    }
}
