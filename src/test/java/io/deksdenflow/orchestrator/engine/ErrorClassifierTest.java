package io.deksdenflow.orchestrator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Error classes from what the real CLIs print (texts copied from codex-cli 0.171.0 and Claude Code 2.1.197). */
class ErrorClassifierTest {
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final Instant NOW = Instant.parse("2030-06-01T10:00:00Z");

    private static ErrorClassifier.Classified c(Integer status, String text) {
        return ErrorClassifier.classify(status, text, UTC, NOW);
    }

    @Test
    void modelApiRefusalsArePermanent() {
        assertThat(c(null, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}")
                .errorClass()).isEqualTo(ErrorClass.PERMANENT);
        assertThat(c(null, "unexpected status 401 Unauthorized: invalid x-api-key, url: http://h/v1/responses")
                .errorClass()).isEqualTo(ErrorClass.PERMANENT);
        assertThat(c(null, "unexpected status 404 Not Found: nope").errorClass()).isEqualTo(ErrorClass.PERMANENT);
        assertThat(c(400, "is_error: API Error: 400 model x does not exist").errorClass()).isEqualTo(ErrorClass.PERMANENT);
        assertThat(c(403, "is_error: forbidden").errorClass()).isEqualTo(ErrorClass.PERMANENT);
    }

    @Test
    void serverErrorsNetworkAndUnknownFailuresAreTransient() {
        assertThat(c(null, "We’re currently experiencing high demand, which may cause temporary errors.").errorClass())
                .isEqualTo(ErrorClass.TRANSIENT);
        assertThat(c(null, "unexpected status 529 <unknown status code>: Overloaded").errorClass()).isEqualTo(ErrorClass.TRANSIENT);
        assertThat(c(500, "is_error: API Error: 500 internal").errorClass()).isEqualTo(ErrorClass.TRANSIENT);
        assertThat(c(null, "stream disconnected before completion: error sending request").errorClass())
                .isEqualTo(ErrorClass.TRANSIENT);
        assertThat(c(null, "").errorClass()).isEqualTo(ErrorClass.TRANSIENT);
    }

    @Test
    void limitsAreUsageLimitsWithTheirResetTimeWhenGiven() {
        var codex = c(null, "You’ve hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit "
                + "https://chatgpt.com/settings/usage to purchase more credits or try again at Jan 1st, 2031 12:00 AM.");
        assertThat(codex.errorClass()).isEqualTo(ErrorClass.USAGE_LIMIT);
        assertThat(codex.resetAt()).isEqualTo(Instant.parse("2031-01-01T00:00:00Z"));
        var retryLimit = c(null, "exceeded retry limit, last status: 429 Too Many Requests");
        assertThat(retryLimit.errorClass()).isEqualTo(ErrorClass.USAGE_LIMIT);
        assertThat(retryLimit.resetAt()).isNull();
        var claude = c(429, "is_error: API Error: Request rejected (429) · rate limit exceeded");
        assertThat(claude.errorClass()).isEqualTo(ErrorClass.USAGE_LIMIT);
        assertThat(c(null, "Claude AI usage limit reached|1924992000").resetAt()).isEqualTo(Instant.ofEpochSecond(1924992000));
        assertThat(c(null, "5-hour limit reached ∙ resets 3pm").resetAt()).isEqualTo(Instant.parse("2030-06-01T15:00:00Z"));
        assertThat(c(null, "rate limit; try again in 90 seconds").resetAt()).isEqualTo(NOW.plusSeconds(90));
        assertThat(c(null, "usage limit, resets at 2030-06-01T12:30:00Z").resetAt()).isEqualTo(Instant.parse("2030-06-01T12:30:00Z"));
    }
}
