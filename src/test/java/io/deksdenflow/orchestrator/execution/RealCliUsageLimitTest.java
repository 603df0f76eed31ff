package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deksdenflow.orchestrator.testsupport.Http;
import io.deksdenflow.orchestrator.testsupport.RealCliFlowBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A usage limit (429) parks the job until the reset without spending an attempt: with one attempt
 * allowed, two limits in a row still end in a completed protocol.
 */
@TestPropertySource(properties = {"deksdenflow.auto-qa-after-exec=true", "deksdenflow.job-max-attempts=1",
        "deksdenflow.usage-limit-backoff-seconds=1", "deksdenflow.usage-limit-max-wait-seconds=2"})
class RealCliUsageLimitTest extends RealCliFlowBase {

    @Test
    void codexUsageLimitWithAResetTimeWaitsWithoutSpendingAnAttempt() {
        Instant reset = Instant.now().plus(Duration.ofMinutes(30));
        String body = "{\"error\":{\"type\":\"usage_limit_reached\",\"message\":\"The usage limit has been reached\","
                + "\"plan_type\":\"plus\",\"resets_at\":" + reset.getEpochSecond() + "}}";
        MODEL.failNext(429, body, Map.of());
        MODEL.failNext(429, body, Map.of());
        Http http = http();
        long id = start(http, "codex");
        awaitProtocol(http, id, "completed");

        List<JsonNode> limited = events(http, id, "engine_rate_limited");
        assertThat(limited).hasSize(2);
        JsonNode meta = limited.get(0).path("metadata");
        assertThat(meta.path("engine").asText()).isEqualTo("codex");
        assertThat(meta.path("error_class").asText()).isEqualTo("usage_limit");
        assertThat(meta.path("attempt").asInt()).isEqualTo(1);
        // the CLI names the reset to the minute; the wait is capped by DEKSDENFLOW_USAGE_LIMIT_MAX_WAIT_SECONDS
        Instant resetAt = Instant.parse(meta.path("reset_at").asText());
        assertThat(Duration.between(resetAt, reset).abs()).isLessThan(Duration.ofSeconds(61));
        Instant retryAt = Instant.parse(meta.path("retry_at").asText());
        assertThat(retryAt).isBefore(resetAt);
        assertThat(limited.get(1).path("metadata").path("attempt").asInt()).isEqualTo(1);
        assertThat(eventTypes(http, id)).doesNotContain("job_retry", "job_failed");
        assertThat(MODEL.modelRequests("planning")).hasSize(3);
    }

    @Test
    void claudeRateLimitWithoutAResetTimeWaitsTheBackoff() {
        MODEL.failNext(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"rate limit exceeded\"}}",
                Map.of());
        Http http = http();
        long id = start(http, "claude");
        awaitProtocol(http, id, "completed");
        JsonNode meta = events(http, id, "engine_rate_limited").get(0).path("metadata");
        assertThat(meta.path("engine").asText()).isEqualTo("claude");
        assertThat(meta.path("reset_at").isNull()).isTrue();
        assertThat(eventTypes(http, id)).doesNotContain("job_retry", "job_failed");
    }

    long start(Http http, String engine) {
        long projectId = readyProject(http, origin(engine + "-limit"), Map.of()).path("id").asLong();
        long id = http.post("/projects/" + projectId + "/protocols",
                Map.of("protocol_name", "0001-" + engine + "-limit", "engine", engine, "auto_advance", true))
                .json().path("id").asLong();
        assertThat(http.post("/protocols/" + id + "/actions/start", null).status()).isEqualTo(202);
        return id;
    }

    static List<JsonNode> events(Http http, long id, String type) {
        List<JsonNode> out = new java.util.ArrayList<>();
        http.get("/protocols/" + id + "/events?limit=500").json().path("items").forEach(e -> {
            if (e.path("event_type").asText().equals(type)) out.add(e);
        });
        return out;
    }
}
