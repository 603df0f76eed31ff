package io.deksdenflow.orchestrator.forge.gitlab;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code DEKSDENFLOW_GITLAB_API_BASE}: GitLab's REST API (self-managed: {@code https://host/api/v4}). Bound in application.yml. */
@ConfigurationProperties(prefix = "deksdenflow.gitlab")
public record GitlabSettings(@DefaultValue("https://gitlab.com/api/v4") String apiBase) {
    public GitlabSettings {
        if (apiBase == null || !apiBase.matches("https?://\\S+")) {
            throw new IllegalArgumentException("DEKSDENFLOW_GITLAB_API_BASE must be an http(s) URL, not '" + apiBase + "'");
        }
    }
}
