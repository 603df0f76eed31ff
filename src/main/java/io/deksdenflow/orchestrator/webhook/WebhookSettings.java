package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The global webhook secret (DEKSDENFLOW_WEBHOOK_TOKEN: the forges' HMAC key or shared token, for the
 * projects without their own {@code webhook_token}) and, for development only, accepting unsigned
 * deliveries when no secret is set anywhere (DEKSDENFLOW_WEBHOOK_ALLOW_UNSIGNED).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record WebhookSettings(@DefaultValue("") String webhookToken, @DefaultValue("false") boolean webhookAllowUnsigned) {

    public WebhookSettings {
        webhookToken = webhookToken == null ? "" : webhookToken;
    }

    public static WebhookSettings defaults() { return SettingsBinding.defaults(WebhookSettings.class); }
}
