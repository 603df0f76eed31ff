package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = {"deksdenflow.max-tokens-per-protocol=2500", "deksdenflow.token-budget-mode=off",
            "deksdenflow.auto-qa-after-exec=true"})
class BudgetOffFlowTest extends BudgetFlowBase {
    @Test
    void offIgnoresTheLimits() {
        long id = runProtocol("0003-off").path("id").asLong();
        Http http = http();
        JsonNode done = awaitProtocol(http, id, "completed");
        assertThat(done.path("tokens_used").asLong()).isEqualTo(7000);
        assertThat(eventTypes(http, id)).doesNotContain("budget_warning", "budget_exceeded");
    }
}
