package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectTokens;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.StepStore;
import org.springframework.stereotype.Component;

/** Loads what a request names (404 when absent) and checks its project's X-Project-Token (401). */
@Component
class Access {
    private final ProjectStore projects;
    private final ProtocolStore protocols;
    private final StepStore steps;

    Access(ProjectStore projects, ProtocolStore protocols, StepStore steps) {
        this.projects = projects;
        this.protocols = protocols;
        this.steps = steps;
    }

    Project project(String rawId, String token) {
        Project p = projects.get(ApiInput.id("project", rawId));
        ProjectTokens.require(p, token);
        return p;
    }

    Project project(long id, String token) {
        Project p = projects.get(id);
        ProjectTokens.require(p, token);
        return p;
    }

    ProtocolRun protocol(String rawId, String token) {
        return protocol(ApiInput.id("protocol", rawId), token);
    }

    ProtocolRun protocol(long id, String token) {
        ProtocolRun p = protocols.get(id);
        ProjectTokens.require(projects.get(p.projectId()), token);
        return p;
    }

    StepRun step(String rawId, String token) {
        StepRun s = steps.get(ApiInput.id("step", rawId));
        protocol(s.protocolRunId(), token);
        return s;
    }
}
