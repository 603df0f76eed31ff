package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.forge.CiFailure;
import io.deksdenflow.orchestrator.forge.CiRefs;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.ForgeSettings;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.project.Project;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * A CI failure's details, and re-runs, from the forge that reported it ({@code provider} in the CI
 * reference the webhook recorded), with the project's token. Never throws for the forge's answers: what
 * could not be fetched is said in the excerpt; a provider that is no forge (a YAML route's) gives what the
 * delivery itself said.
 */
@Component
class ForgeCi {
    private final Forges forges;
    private final ForgeSettings settings;

    ForgeCi(Forges forges, ForgeSettings settings) {
        this.forges = forges;
        this.settings = settings;
    }

    List<CiFailure> failures(Project project, Map<String, Object> ciRef) {
        int lines = settings.ciLogExcerptLines();
        return forges.find(CiRefs.str(ciRef, "provider"))
                .map(f -> f.ciFailures(PullRequests.repo(project), ciRef, lines))
                .orElseGet(() -> List.of(CiRefs.fromPayload(PullRequests.repo(project), ciRef, null, lines)));
    }

    /** @return null when the forge was asked to re-run the failed jobs, else why not */
    String rerun(Project project, Map<String, Object> ciRef) {
        Optional<Forge> forge = forges.find(CiRefs.str(ciRef, "provider"));
        if (forge.isEmpty()) return "a " + CiRefs.str(ciRef, "event_kind") + " cannot be re-run through the API";
        return forge.get().rerunFailedJobs(PullRequests.repo(project), ciRef); // null: requested

    }
}
