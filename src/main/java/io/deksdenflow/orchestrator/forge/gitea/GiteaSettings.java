package io.deksdenflow.orchestrator.forge.gitea;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code DEKSDENFLOW_GITEA_API_BASE}: the REST API of a Gitea or Forgejo server (e.g.
 * {@code https://codeberg.org/api/v1}); empty (the default) means {@code https://<git_url's host>/api/v1},
 * one service serving projects on several servers. Bound in application.yml.
 */
@ConfigurationProperties(prefix = "deksdenflow.gitea")
public record GiteaSettings(@DefaultValue("") String apiBase) {
    public GiteaSettings {
        apiBase = apiBase == null ? "" : apiBase.strip();
        if (!apiBase.isEmpty() && !apiBase.matches("https?://\\S+")) {
            throw new IllegalArgumentException("DEKSDENFLOW_GITEA_API_BASE must be empty or an http(s) URL, not '" + apiBase + "'");
        }
    }
}
