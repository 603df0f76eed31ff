package io.deksdenflow.orchestrator.forge;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What every forge's CI triage shares: the most lines kept of one failed job's log
 * (DEKSDENFLOW_CI_LOG_EXCERPT_LINES). Each forge's own settings (its API base) live in its package.
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record ForgeSettings(@DefaultValue("200") int ciLogExcerptLines) {

    public ForgeSettings {
        SettingsChecks.atLeast("DEKSDENFLOW_CI_LOG_EXCERPT_LINES", ciLogExcerptLines, 1);
    }

    public static ForgeSettings defaults() { return SettingsBinding.defaults(ForgeSettings.class); }
}
