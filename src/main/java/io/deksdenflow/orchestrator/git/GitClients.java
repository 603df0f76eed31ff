package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.engine.ProcessRunner;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Makes a {@link GitClient} bound to one project's remote and secrets. */
@Component
public class GitClients {
    static final Duration GIT_TIMEOUT = Duration.ofMinutes(30);
    private final ProcessRunner runner;
    private final GitUrlPolicy urls;
    private final GitCredential.Source credentials;

    @Autowired
    public GitClients(ProcessRunner runner, GitUrlPolicy urls, GitCredential.Source credentials) {
        this.runner = runner;
        this.urls = urls;
        this.credentials = credentials;
    }

    public GitClients(ProcessRunner runner, GitUrlPolicy urls) {
        this(runner, urls, GitCredential::generic);
    }

    public GitClients(ProcessRunner runner) {
        this(runner, GitUrlPolicy.unrestricted());
    }

    /** A client for the project's remote; the URL is checked against the policy again (defence in depth). */
    public GitClient forProject(String gitUrl, Map<String, String> secrets) {
        if (gitUrl != null) urls.validate(gitUrl);
        return new GitClient(runner, gitUrl, secrets, credentials, GIT_TIMEOUT);
    }
}
