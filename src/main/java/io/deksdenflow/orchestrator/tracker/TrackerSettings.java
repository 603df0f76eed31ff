package io.deksdenflow.orchestrator.tracker;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The forge as the front door: the shortest time between two edits of a protocol's status comment
 * (DEKSDENFLOW_STATUS_COMMENT_MIN_SECONDS), how often the intake lists the labelled open issues to find those a
 * lost webhook did not bring (DEKSDENFLOW_INTAKE_POLL_SECONDS, 0 off). The console links in comments use the
 * service's public address (DEKSDENFLOW_PUBLIC_URL, {@code notify.NotifySettings}).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record TrackerSettings(@DefaultValue("10") int statusCommentMinSeconds,
                              @DefaultValue("300") int intakePollSeconds) {

    public TrackerSettings {
        SettingsChecks.atLeast("DEKSDENFLOW_STATUS_COMMENT_MIN_SECONDS", statusCommentMinSeconds, 0);
        SettingsChecks.atLeast("DEKSDENFLOW_INTAKE_POLL_SECONDS", intakePollSeconds, 0);
    }

    public static TrackerSettings defaults() { return SettingsBinding.defaults(TrackerSettings.class); }
}
