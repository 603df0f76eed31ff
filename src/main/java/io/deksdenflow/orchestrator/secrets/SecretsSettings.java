package io.deksdenflow.orchestrator.secrets;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The key of the secrets at rest: DEKSDENFLOW_SECRETS_KEY, else the file DEKSDENFLOW_SECRETS_KEY_FILE. */
@ConfigurationProperties(prefix = "deksdenflow")
public record SecretsSettings(@DefaultValue("") String secretsKey, @DefaultValue("") String secretsKeyFile) {

    public SecretsSettings {
        secretsKey = SettingsChecks.orEmpty(secretsKey).trim();
        secretsKeyFile = SettingsChecks.orEmpty(secretsKeyFile).trim();
    }

    public static SecretsSettings defaults() { return SettingsBinding.defaults(SecretsSettings.class); }
}
