package io.deksdenflow.orchestrator.forge;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static HttpHeaders headers(Map<String, String> h) {
        return HttpHeaders.of(h.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> List.of(e.getValue()))), (a, b) -> true);
    }

    @Test
    void retryAfterSecondsOrDateAndTheResetTimeSayWhen() {
        assertThat(RateLimits.retryAt(429, headers(Map.of("retry-after", "30")), NOW)).isEqualTo(NOW.plusSeconds(30));
        assertThat(RateLimits.retryAt(429, headers(Map.of("retry-after", "Mon, 07 Dec 2026 12:05:00 GMT")), NOW))
                .isEqualTo(Instant.parse("2026-12-07T12:05:00Z"));
        long reset = NOW.plusSeconds(600).getEpochSecond();
        assertThat(RateLimits.retryAt(403, headers(Map.of("x-ratelimit-remaining", "0",
                "x-ratelimit-reset", Long.toString(reset))), NOW)).isEqualTo(Instant.ofEpochSecond(reset));
        assertThat(RateLimits.retryAt(429, headers(Map.of("ratelimit-reset", Long.toString(reset))), NOW))
                .isEqualTo(Instant.ofEpochSecond(reset));
        assertThat(RateLimits.retryAt(429, headers(Map.of()), NOW)).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void aForbiddenThatIsNoRateLimitAndOtherErrorsAreNot() {
        assertThat(RateLimits.retryAt(403, headers(Map.of("x-ratelimit-remaining", "4999")), NOW)).isNull();
        assertThat(RateLimits.retryAt(403, headers(Map.of()), NOW)).isNull();
        assertThat(RateLimits.retryAt(404, headers(Map.of("retry-after", "5")), NOW)).isNull();
        assertThat(RateLimits.retryAt(502, headers(Map.of()), NOW)).isNull();
    }
}
