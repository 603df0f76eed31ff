package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.common.JobFailure;
import io.deksdenflow.orchestrator.forge.ChangeRequest;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.ForgeRepo;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import org.springframework.stereotype.Component;

/**
 * Opens the draft change request of a protocol's branch on the project's forge ({@code ci_provider}); an
 * already open one counts as success. Returns its web URL and number.
 */
@Component
class PullRequests {
    private final Forges forges;

    PullRequests(Forges forges) {
        this.forges = forges;
    }

    /** The project's forge, or a job failure that says why there is none. */
    Forge forgeOf(Project project) {
        if (project.ciProvider() == null) {
            throw new JobFailure("project " + project.name() + " has no ci_provider (one of " + forges.idList()
                    + "): cannot open a pull/merge request");
        }
        return forges.find(project.ciProvider())
                .orElseThrow(() -> new JobFailure("unknown ci_provider " + project.ciProvider()));
    }

    ChangeRequest open(Project project, ProtocolRun run) {
        Forge forge = forgeOf(project);
        String title = run.protocolName() + (run.description() == null || run.description().isBlank() ? ""
                : ": " + firstLine(run.description()));
        String body = "Protocol `" + run.protocolName() + "` run by DeksdenFlow.\n\nPlan: `.protocols/" + run.protocolName() + "/plan.md`"
                + (run.issueNumber() == null ? "" : "\n\nCloses #" + run.issueNumber());
        return forge.openChangeRequest(repo(project), run.protocolName(), run.baseBranch(), title, body);
    }

    static ForgeRepo repo(Project project) {
        return new ForgeRepo(project.name(), project.gitUrl(), project.secrets());
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 100) : line;
    }
}
