package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.common.NonRetryable;
import io.deksdenflow.orchestrator.common.RetryAfter;
import java.time.Duration;

/**
 * An attempt that did not deliver: retried by the notify_job's policy (a network error, a 5xx, 408 or 429, with
 * the receiver's {@code Retry-After}) unless {@link Refused}. Messages name the channel by its label (type and
 * host), never by its URL: a Slack or webhook URL is a credential.
 */
class DeliveryFailure extends Exception implements RetryAfter {
    private final Integer statusCode;
    private final Duration retryAfter;

    DeliveryFailure(String message, Integer statusCode, Duration retryAfter) {
        super(message);
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
    }

    Integer statusCode() { return statusCode; }

    @Override
    public Duration retryAfter() { return retryAfter; }

    /** A failure no retry changes: a 4xx answer, an address the SSRF guard refuses, no SMTP server. */
    static final class Refused extends DeliveryFailure implements NonRetryable {
        Refused(String message, Integer statusCode) {
            super(message, statusCode, null);
        }
    }
}
