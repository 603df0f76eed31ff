package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.notify.Channels;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * One notification channel of {@code notifications}: {@code {"type":"webhook","url","secret","events"}},
 * {@code {"type":"slack","webhook_url","events"}} or {@code {"type":"email","to","events"}}. URLs and the secret
 * are stored encrypted and never shown again.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"type", "events"})
public record ChannelSpec(
        @Schema(description = "webhook | slack | email") String type,
        @Schema(description = "webhook: the https URL signed deliveries are POSTed to (Standard Webhooks)") String url,
        @Schema(description = "webhook: the signing secret, whsec_<base64> or 16-200 characters") String secret,
        @Schema(description = "slack: the incoming webhook URL") String webhookUrl,
        @Schema(description = "email: the recipients") List<String> to,
        @Schema(description = "needs_input | budget_paused | usage_limited | pr_opened | ci_failed | ci_fix_exhausted"
                + " | protocol_blocked | protocol_failed | protocol_completed") List<String> events) {

    public Channels.Input input() {
        return new Channels.Input(type, url, secret, webhookUrl, to, events);
    }

    /** The inputs of a request's list (null stays null: the field was not given, or cleared). */
    public static List<Channels.Input> inputs(List<ChannelSpec> specs) {
        return specs == null ? null : specs.stream().map(s -> s == null ? null : s.input()).toList();
    }
}
