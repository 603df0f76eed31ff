package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What the service starts on its own after a step: QA after execution (DEKSDENFLOW_AUTO_QA_AFTER_EXEC) or
 * after green CI (DEKSDENFLOW_AUTO_QA_ON_CI), agent fix runs after red CI (DEKSDENFLOW_CI_AUTOFIX_ATTEMPTS,
 * 0 = off) and a re-run of the failed jobs first (DEKSDENFLOW_CI_RERUN_FAILED_FIRST).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record AutomationSettings(
        @DefaultValue("false") boolean autoQaAfterExec,
        @DefaultValue("false") boolean autoQaOnCi,
        @DefaultValue("2") int ciAutofixAttempts,
        @DefaultValue("false") boolean ciRerunFailedFirst) {

    public AutomationSettings {
        SettingsChecks.atLeast("DEKSDENFLOW_CI_AUTOFIX_ATTEMPTS", ciAutofixAttempts, 0);
    }

    public static AutomationSettings defaults() { return SettingsBinding.defaults(AutomationSettings.class); }

    public AutomationSettings withAutoQaAfterExec(boolean v) {
        return new AutomationSettings(v, autoQaOnCi, ciAutofixAttempts, ciRerunFailedFirst);
    }

    public AutomationSettings withAutoQaOnCi(boolean v) {
        return new AutomationSettings(autoQaAfterExec, v, ciAutofixAttempts, ciRerunFailedFirst);
    }

    public AutomationSettings withCiAutofixAttempts(int v) {
        return new AutomationSettings(autoQaAfterExec, autoQaOnCi, v, ciRerunFailedFirst);
    }

    public AutomationSettings withCiRerunFailedFirst(boolean v) {
        return new AutomationSettings(autoQaAfterExec, autoQaOnCi, ciAutofixAttempts, v);
    }
}
