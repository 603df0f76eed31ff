package io.deksdenflow.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.deksdenflow.orchestrator.testsupport.RawHttp;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The edge: every error is the JSON error body with X-Request-ID, also those the servlet container raises. */
class EdgeHttpTest extends ApiTestBase {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Autowired
    MeterRegistry meters;

    private static JsonNode json(RawHttp.Response r) {
        try {
            return MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + r.status() + "): " + r.body(), e);
        }
    }

    private static void assertJsonError(RawHttp.Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.body()).startsWith("application/json");
        assertThat(r.header("X-Request-ID")).as("X-Request-ID of " + r.body()).isNotBlank();
        JsonNode error = json(r).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("request_id").asText()).isEqualTo(r.header("X-Request-ID"));
        assertThat(r.body()).doesNotContainIgnoringCase("<html");
    }

    @Test
    void containerLevelBadRequestsAnswerJsonWithARequestId() {
        for (String target : new String[] {"/projects/%00", "/projects/..%2F..%2Fetc", "/projects/%ff", "/projects/%zz"}) {
            RawHttp.Response r = RawHttp.send(port, "GET", target, Map.of());
            assertJsonError(r, 400, "bad_request");
        }
        RawHttp.Response big = RawHttp.send(port, "GET", "/projects", Map.of("X-Big", "a".repeat(20 * 1024)));
        assertThat(big.status()).isIn(400, 431);
        assertJsonError(big, big.status(), big.status() == 400 ? "bad_request" : "request_header_fields_too_large");
    }

    @Test
    void aClientRequestIdIsEchoedOnContainerErrorsToo() {
        String id = "edge-" + UUID.randomUUID();
        RawHttp.Response r = RawHttp.send(port, "GET", "/projects/%00", Map.of("X-Request-ID", id));
        assertJsonError(r, 400, "bad_request");
        assertThat(r.header("X-Request-ID")).isEqualTo(id);
    }

    @Test
    void unsupportedMethodsAnswer405JsonAndLeaveTheMetricSeriesUnchanged() {
        RawHttp.send(port, "GET", "/projects", Map.of()); // the GET series exist before counting
        int before = meters.find("http_requests").timers().size();
        for (int i = 0; i < 300; i++) {
            RawHttp.Response r = RawHttp.send(port, "M" + i + "X", i % 2 == 0 ? "/projects" : "/health", Map.of());
            if (i < 3) assertJsonError(r, 405, "method_not_allowed");
        }
        RawHttp.Response trace = RawHttp.send(port, "TRACE", "/projects", Map.of());
        assertJsonError(trace, 405, "method_not_allowed");
        assertThat(meters.find("http_requests").timers().size()).isEqualTo(before);
        assertThat(meters.find("http_requests").timers()).allSatisfy(t ->
                assertThat(t.getId().getTag("method")).isIn("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "OTHER"));
        // a known method on an unknown route is a JSON 404 as well
        assertJsonError(RawHttp.send(port, "DELETE", "/nowhere", Map.of()), 404, "not_found");
    }
}
