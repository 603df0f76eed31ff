package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.engine.ProcessRunner;
import java.time.Duration;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Makes a {@link GitClient} bound to one project's remote and secrets. */
@Component
public class GitClients {
    static final Duration GIT_TIMEOUT = Duration.ofMinutes(30);
    private final ProcessRunner runner;

    public GitClients(ProcessRunner runner) {
        this.runner = runner;
    }

    public GitClient forProject(String gitUrl, Map<String, String> secrets) {
        return new GitClient(runner, gitUrl, secrets, GIT_TIMEOUT);
    }
}
