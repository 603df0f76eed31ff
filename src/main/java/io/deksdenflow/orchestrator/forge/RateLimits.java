package io.deksdenflow.orchestrator.forge;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Whether a forge's error answer is a rate limit, and until when. GitHub answers {@code 429}, or {@code 403}
 * with {@code x-ratelimit-remaining: 0} (primary limit, {@code x-ratelimit-reset} in epoch seconds) or with a
 * {@code retry-after} (secondary limit); GitLab and Gitea answer {@code 429} with {@code retry-after} and
 * {@code ratelimit-reset}. A 429 that names no time waits a minute.
 */
final class RateLimits {
    static final long DEFAULT_WAIT_SECONDS = 60;

    private RateLimits() {}

    /** When to call again, or null when the answer is not a rate limit. */
    static Instant retryAt(int status, HttpHeaders headers, Instant now) {
        if (status != 429 && status != 403) return null;
        Optional<String> retryAfter = headers.firstValue("retry-after");
        if (retryAfter.isPresent()) {
            Instant at = parseRetryAfter(retryAfter.get().strip(), now);
            if (at != null) return at;
        }
        boolean exhausted = headers.firstValue("x-ratelimit-remaining").map(String::strip).filter("0"::equals).isPresent()
                || headers.firstValue("ratelimit-remaining").map(String::strip).filter("0"::equals).isPresent();
        Optional<String> reset = headers.firstValue("x-ratelimit-reset").or(() -> headers.firstValue("ratelimit-reset"));
        if (status == 403 && !exhausted) return null; // a 403 that is no rate limit: permissions
        if (reset.isPresent()) {
            try {
                long epoch = Long.parseLong(reset.get().strip());
                Instant at = Instant.ofEpochSecond(epoch);
                return at.isBefore(now) ? now : at;
            } catch (NumberFormatException e) {
                // fall through to the default wait
            }
        }
        return now.plusSeconds(DEFAULT_WAIT_SECONDS);
    }

    private static Instant parseRetryAfter(String v, Instant now) {
        try {
            return now.plusSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
