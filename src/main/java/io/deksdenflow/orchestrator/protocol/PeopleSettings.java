package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often a protocol may wait for a person: re-plans after {@code reject_plan}
 * (DEKSDENFLOW_REPLAN_ATTEMPTS; one more rejection is a 409) and questions an agent may ask in one step
 * (DEKSDENFLOW_QUESTIONS_PER_STEP; one more fails the step with the reason).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record PeopleSettings(
        @DefaultValue("3") int replanAttempts,
        @DefaultValue("3") int questionsPerStep) {

    public PeopleSettings {
        SettingsChecks.atLeast("DEKSDENFLOW_REPLAN_ATTEMPTS", replanAttempts, 0);
        SettingsChecks.atLeast("DEKSDENFLOW_QUESTIONS_PER_STEP", questionsPerStep, 0);
    }

    public static PeopleSettings defaults() { return SettingsBinding.defaults(PeopleSettings.class); }
}
