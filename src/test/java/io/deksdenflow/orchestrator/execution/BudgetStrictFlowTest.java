package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = {"deksdenflow.max-tokens-per-protocol=2500", "deksdenflow.token-budget-mode=strict",
            "deksdenflow.auto-qa-after-exec=true"})
class BudgetStrictFlowTest extends BudgetFlowBase {
    @Test
    void theCallThatWouldExceedTheProtocolBudgetIsNotMade() {
        long id = runProtocol("0001-strict").path("id").asLong();
        Http http = http();
        JsonNode blocked = awaitProtocol(http, id, "blocked");
        long used = blocked.path("tokens_used").asLong();
        // the pre-call check counts what was used plus the prompt's estimate; the answer's tokens come after
        assertThat(used).isBetween(1000L, 3500L);
        assertThat(used % 1000).isZero();
        JsonNode exceeded = event(http, id, "budget_exceeded").path("metadata");
        assertThat(exceeded.path("protocol_tokens_used").asLong()).isEqualTo(used);
        assertThat(exceeded.path("mode").asText()).isEqualTo("strict");
        assertThat(exceeded.path("protocol_tokens_used").asLong() + exceeded.path("prompt_estimate").asLong())
                .isGreaterThan(2500);
        // every call made was counted, and the refused one was never made: calls x 1,000 = total
        long calls = 1; // planning
        for (JsonNode s : http.get("/protocols/" + id + "/steps").json().path("items")) {
            calls += http.get("/steps/" + s.path("id").asLong() + "/runs").json().path("items").size();
        }
        assertThat(calls * 1000).isEqualTo(used);
        assertThat(eventTypes(http, id)).doesNotContain("protocol_completed");
        // the refused call blocks step and protocol once (at the job's final failure), with one job_failed
        assertThat(eventTypes(http, id).stream().filter("protocol_blocked"::equals).count()).isEqualTo(1);
        assertThat(eventTypes(http, id).stream().filter("budget_exceeded"::equals).count()).isEqualTo(1);
        assertThat(eventTypes(http, id).stream().filter("job_failed"::equals).count()).isEqualTo(1);
    }
}
