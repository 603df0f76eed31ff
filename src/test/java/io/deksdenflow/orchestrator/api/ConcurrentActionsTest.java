package io.deksdenflow.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** 20 threads racing start/pause/cancel on one protocol: a legal end state, one event per transition. */
class ConcurrentActionsTest extends ApiTestBase {

    @Test
    void racingActionsLeaveALegalStatusAndOneEventPerTransition() throws Exception {
        Http http = http();
        long projectId = createProject(http, Map.of()).path("id").asLong();
        long id = createProtocol(http, projectId, "0001-race").path("id").asLong();
        String[] actions = {"start", "pause", "resume", "cancel"};
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String action = actions[i % actions.length];
            results.add(pool.submit(() -> {
                go.await();
                return http.post("/protocols/" + id + "/actions/" + action, null).status();
            }));
        }
        go.countDown();
        int accepted = 0;
        for (Future<Integer> f : results) {
            int status = f.get(120, TimeUnit.SECONDS);
            assertThat(status).isIn(202, 409);
            if (status == 202) accepted++;
        }
        pool.shutdown();
        JsonNode protocol = http.get("/protocols/" + id).json();
        assertThat(protocol.path("status").asText()).isIn("planning", "paused", "cancelled");
        JsonNode events = http.get("/protocols/" + id + "/events?limit=500").json().path("items");
        List<JsonNode> transitions = new ArrayList<>();
        events.forEach(e -> {
            if (Set.of("protocol_started", "protocol_paused", "protocol_resumed", "protocol_cancelled")
                    .contains(e.path("event_type").asText())) transitions.add(e);
        });
        assertThat(transitions).hasSize(accepted);
        // the transitions chain: each one starts where the previous one ended
        String status = "pending";
        for (int i = transitions.size() - 1; i >= 0; i--) {
            JsonNode meta = transitions.get(i).path("metadata");
            assertThat(meta.path("from").asText()).isEqualTo(status);
            status = meta.path("to").asText();
        }
        assertThat(status).isEqualTo(protocol.path("status").asText());
    }
}
