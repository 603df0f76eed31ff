package io.deksdenflow.orchestrator.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One agent call. {@code phase} is "planning", "exec" or "qa"; {@code model} may be blank (the
 * engine's default); {@code outputSchema} is nullable; {@code timeout} null means the configured
 * engine timeout; {@code gitMetadata} (nullable) is the project's git directory, shown read-only to a
 * sandboxed agent; {@code egress} (nullable: DEKSDENFLOW_AGENT_EGRESS, no one told of refusals) is what
 * the agent may reach besides its engine's model API; {@code projectId} (nullable) names whose engine
 * state the run gets.
 */
public record EngineRequest(
        String phase,
        Path workdir,
        String prompt,
        String model,
        boolean readOnly,
        Path outputSchema,
        Path logFile,
        Duration timeout,
        Path gitMetadata,
        AgentEgress egress,
        Long projectId) {

    public static final Set<String> PHASES = Set.of("planning", "exec", "qa");

    public EngineRequest {
        if (!PHASES.contains(phase)) throw new IllegalArgumentException("unknown phase: " + phase);
        Objects.requireNonNull(workdir, "workdir");
        Objects.requireNonNull(prompt, "prompt");
        model = model == null ? "" : model.trim();
    }

    public EngineRequest(String phase, Path workdir, String prompt, String model, boolean readOnly, Path outputSchema,
                         Path logFile, Duration timeout) {
        this(phase, workdir, prompt, model, readOnly, outputSchema, logFile, timeout, null, null, null);
    }

    public EngineRequest(String phase, Path workdir, String prompt, String model, boolean readOnly, Path outputSchema,
                         Path logFile, Duration timeout, Path gitMetadata) {
        this(phase, workdir, prompt, model, readOnly, outputSchema, logFile, timeout, gitMetadata, null, null);
    }

    public boolean hasModel() { return !model.isEmpty(); }
}
