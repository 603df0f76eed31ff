package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.git.GitClient;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import java.nio.file.Path;

/** The protocol's worktree, recreated from its branch when this worker's disk does not have it. */
final class Worktrees {
    private Worktrees() {}

    static Path ensure(GitClient git, Workspace workspace, Project project, ProtocolRun run) {
        Path repo = ProjectSetupHandler.ensureClone(git, project, workspace.repo(project.id()));
        return git.addWorktree(repo, workspace.worktree(project.id(), run.protocolName()), run.protocolName(),
                run.baseBranch());
    }
}
