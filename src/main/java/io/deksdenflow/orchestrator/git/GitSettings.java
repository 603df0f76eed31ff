package io.deksdenflow.orchestrator.git;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** DEKSDENFLOW_GIT_LOCAL: whether a git_url may be a local path or file:// URL; unset (null) decides by the API token. */
@ConfigurationProperties(prefix = "deksdenflow")
public record GitSettings(Boolean gitLocal) {

    public static GitSettings defaults() { return new GitSettings(null); }

    /**
     * Whether local paths and file:// URLs may be git_urls: DEKSDENFLOW_GIT_LOCAL when set, else only
     * on a service without DEKSDENFLOW_API_TOKEN (a single-user machine, where the repositories are the
     * user's own).
     */
    public boolean gitLocalAllowed(boolean apiTokenSet) { return gitLocal != null ? gitLocal : !apiTokenSet; }
}
