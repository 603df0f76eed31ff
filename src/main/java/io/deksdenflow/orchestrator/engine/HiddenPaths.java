package io.deksdenflow.orchestrator.engine;

import java.nio.file.Path;
import java.util.Collection;

/**
 * Files and directories of the service that no agent may see (the database and its -wal/-shm, the
 * secrets key file, ...). Every bean of this type is consulted by {@link AgentSandbox}.
 */
public interface HiddenPaths {
    Collection<Path> hiddenFromAgents();

    /** What a run of {@code projectId} (null: outside any project) must not see; by default the same for all. */
    default Collection<Path> hiddenFromAgents(Long projectId) {
        return hiddenFromAgents();
    }
}
