package io.deksdenflow.orchestrator.http;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTP API: where it listens (DEKSDENFLOW_API_HOST, _API_PORT), its bearer token
 * (DEKSDENFLOW_API_TOKEN), DEKSDENFLOW_ALLOW_INSECURE, DEKSDENFLOW_EXPOSE_PATHS and
 * DEKSDENFLOW_SSE_MAX_SUBSCRIBERS.
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record ApiSettings(
        @DefaultValue("") String apiHost,
        @DefaultValue("8000") int apiPort,
        @DefaultValue("") String apiToken,
        @DefaultValue("false") boolean allowInsecure,
        @DefaultValue("false") boolean exposePaths,
        @DefaultValue("200") int sseMaxSubscribers) {

    public ApiSettings {
        apiHost = SettingsChecks.orEmpty(apiHost);
        apiToken = SettingsChecks.orEmpty(apiToken);
        SettingsChecks.between("DEKSDENFLOW_API_PORT", apiPort, 0, 65535);
        SettingsChecks.atLeast("DEKSDENFLOW_SSE_MAX_SUBSCRIBERS", sseMaxSubscribers, 0);
    }

    public static ApiSettings defaults() { return SettingsBinding.defaults(ApiSettings.class); }

    public ApiSettings withApiHost(String v) {
        return new ApiSettings(v, apiPort, apiToken, allowInsecure, exposePaths, sseMaxSubscribers);
    }

    public ApiSettings withApiToken(String v) {
        return new ApiSettings(apiHost, apiPort, v, allowInsecure, exposePaths, sseMaxSubscribers);
    }

    public ApiSettings withAllowInsecure(boolean v) {
        return new ApiSettings(apiHost, apiPort, apiToken, v, exposePaths, sseMaxSubscribers);
    }

    public ApiSettings withExposePaths(boolean v) {
        return new ApiSettings(apiHost, apiPort, apiToken, allowInsecure, v, sseMaxSubscribers);
    }

    public boolean apiTokenSet() { return !apiToken.isBlank(); }
}
