package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(properties = {"deksdenflow.max-tokens-per-protocol=2500", "deksdenflow.token-budget-mode=warn",
            "deksdenflow.auto-qa-after-exec=true"})
class BudgetWarnFlowTest extends BudgetFlowBase {
    @Test
    void warnRecordsAndCarriesOn() {
        long id = runProtocol("0002-warn").path("id").asLong();
        Http http = http();
        JsonNode done = awaitProtocol(http, id, "completed");
        assertThat(done.path("tokens_used").asLong()).isEqualTo(7000);
        assertThat(eventTypes(http, id)).contains("budget_warning").doesNotContain("budget_exceeded");
    }
}
