package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Notifications: the channels of a project without its own (DEKSDENFLOW_NOTIFICATIONS, a JSON list of channels),
 * the delivery's retries (DEKSDENFLOW_NOTIFY_ATTEMPTS, _BACKOFF_SECONDS, _BACKOFF_MAX_SECONDS), the SSRF guard's
 * opt-out (DEKSDENFLOW_NOTIFY_ALLOW_PRIVATE), the console's address for links (DEKSDENFLOW_PUBLIC_URL) and the
 * SMTP server of e-mail channels (DEKSDENFLOW_SMTP_*).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record NotifySettings(
        @DefaultValue("") String notifications,
        @DefaultValue("8") int notifyAttempts,
        @DefaultValue("10") int notifyBackoffSeconds,
        @DefaultValue("3600") int notifyBackoffMaxSeconds,
        @DefaultValue("false") boolean notifyAllowPrivate,
        @DefaultValue("") String publicUrl,
        @DefaultValue("") String smtpHost,
        @DefaultValue("587") int smtpPort,
        @DefaultValue("") String smtpFrom,
        @DefaultValue("") String smtpUsername,
        @DefaultValue("") String smtpPassword,
        @DefaultValue("true") boolean smtpStarttls) {

    public NotifySettings {
        notifications = SettingsChecks.orEmpty(notifications);
        SettingsChecks.between("DEKSDENFLOW_NOTIFY_ATTEMPTS", notifyAttempts, 1, 100);
        SettingsChecks.atLeast("DEKSDENFLOW_NOTIFY_BACKOFF_SECONDS", notifyBackoffSeconds, 0);
        SettingsChecks.atLeast("DEKSDENFLOW_NOTIFY_BACKOFF_MAX_SECONDS", notifyBackoffMaxSeconds, notifyBackoffSeconds);
        publicUrl = SettingsChecks.orEmpty(publicUrl).replaceAll("/+$", "");
        if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[^\\s/]+(/\\S*)?")) {
            throw new IllegalArgumentException("DEKSDENFLOW_PUBLIC_URL must be an http(s) URL, e.g. https://flow.example.com");
        }
        smtpHost = SettingsChecks.orEmpty(smtpHost);
        SettingsChecks.between("DEKSDENFLOW_SMTP_PORT", smtpPort, 1, 65535);
        smtpFrom = SettingsChecks.orEmpty(smtpFrom);
        smtpUsername = SettingsChecks.orEmpty(smtpUsername);
        smtpPassword = SettingsChecks.orEmpty(smtpPassword);
        if (!smtpHost.isEmpty() && smtpFrom.isEmpty()) {
            throw new IllegalArgumentException("DEKSDENFLOW_SMTP_FROM must be set when DEKSDENFLOW_SMTP_HOST is");
        }
    }

    public static NotifySettings defaults() { return SettingsBinding.defaults(NotifySettings.class); }

    /** The same settings with the SSRF guard's opt-out set to {@code allow} (tests). */
    public NotifySettings withAllowPrivate(boolean allow) {
        return new NotifySettings(notifications, notifyAttempts, notifyBackoffSeconds, notifyBackoffMaxSeconds, allow,
                publicUrl, smtpHost, smtpPort, smtpFrom, smtpUsername, smtpPassword, smtpStarttls);
    }

    @Override
    public String toString() { // the password never reaches a log line
        return "NotifySettings[smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + ", attempts=" + notifyAttempts + "]";
    }
}
