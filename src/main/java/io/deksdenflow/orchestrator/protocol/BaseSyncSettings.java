package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Protocols that stay mergeable: how many agent turns (conflict_fix_job) a conflict with the base branch gets before
 * the protocol is blocked naming the files (DEKSDENFLOW_CONFLICT_FIX_ATTEMPTS, 0 = block at once).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record BaseSyncSettings(@DefaultValue("1") int conflictFixAttempts) {

    public BaseSyncSettings {
        SettingsChecks.atLeast("DEKSDENFLOW_CONFLICT_FIX_ATTEMPTS", conflictFixAttempts, 0);
    }

    public static BaseSyncSettings defaults() { return SettingsBinding.defaults(BaseSyncSettings.class); }
}
