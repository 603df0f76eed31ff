package io.deksdenflow.orchestrator.forge.github;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code DEKSDENFLOW_GITHUB_API_BASE}: GitHub's REST API (GitHub Enterprise: {@code https://host/api/v3}). Bound in application.yml. */
@ConfigurationProperties(prefix = "deksdenflow.github")
public record GithubSettings(@DefaultValue("https://api.github.com") String apiBase) {
    public GithubSettings {
        if (apiBase == null || !apiBase.matches("https?://\\S+")) {
            throw new IllegalArgumentException("DEKSDENFLOW_GITHUB_API_BASE must be an http(s) URL, not '" + apiBase + "'");
        }
    }
}
