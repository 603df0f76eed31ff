package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Answering reviews: how long the service waits after a review comment for more before one fix turn answers them
 * all (DEKSDENFLOW_REVIEW_DEBOUNCE_SECONDS; each new comment restarts the wait) and how many fix turns one PR/MR
 * gets before it is labelled {@code deksdenflow:needs-human} (DEKSDENFLOW_REVIEW_FIX_ATTEMPTS, 0 = never answer).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record ReviewSettings(@DefaultValue("120") int reviewDebounceSeconds, @DefaultValue("3") int reviewFixAttempts) {

    public ReviewSettings {
        SettingsChecks.atLeast("DEKSDENFLOW_REVIEW_DEBOUNCE_SECONDS", reviewDebounceSeconds, 0);
        SettingsChecks.atLeast("DEKSDENFLOW_REVIEW_FIX_ATTEMPTS", reviewFixAttempts, 0);
    }

    public static ReviewSettings defaults() { return SettingsBinding.defaults(ReviewSettings.class); }
}
