package io.deksdenflow.orchestrator.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.FlowTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.Map;


/**
 * Token budgets summed across a protocol: the stand-in agent reports 1,000 tokens per call
 * (usage 800 in + 200 out); the protocol budget is 2,500 tokens.
 */
abstract class BudgetFlowBase extends FlowTestBase {
    static final String AGENT = "{\"modes\":{\"planning\":\"plan\",\"exec\":\"exec-commit\",\"qa\":\"qa-pass\"},"
            + "\"steps\":3,\"usage\":[800,0,200]}";

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
