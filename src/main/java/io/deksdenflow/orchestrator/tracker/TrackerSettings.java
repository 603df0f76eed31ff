package io.deksdenflow.orchestrator.tracker;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The forge as the front door: the shortest time between two edits of a protocol's status comment
 * (DEKSDENFLOW_STATUS_COMMENT_MIN_SECONDS), how often the intake lists the labelled open issues to find those a
 * lost webhook did not bring (DEKSDENFLOW_INTAKE_POLL_SECONDS, 0 off) and the service's address as people reach
 * it, for the console links in comments (DEKSDENFLOW_PUBLIC_URL, empty: no links).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record TrackerSettings(@DefaultValue("10") int statusCommentMinSeconds,
                              @DefaultValue("300") int intakePollSeconds,
                              @DefaultValue("") String publicUrl) {

    public TrackerSettings {
        SettingsChecks.atLeast("DEKSDENFLOW_STATUS_COMMENT_MIN_SECONDS", statusCommentMinSeconds, 0);
        SettingsChecks.atLeast("DEKSDENFLOW_INTAKE_POLL_SECONDS", intakePollSeconds, 0);
        publicUrl = publicUrl == null ? "" : publicUrl.strip().replaceAll("/+$", "");
        if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[^\\s]+")) {
            throw new IllegalArgumentException("DEKSDENFLOW_PUBLIC_URL must be an http(s) URL, not " + publicUrl);
        }
    }

    public static TrackerSettings defaults() { return SettingsBinding.defaults(TrackerSettings.class); }
}
