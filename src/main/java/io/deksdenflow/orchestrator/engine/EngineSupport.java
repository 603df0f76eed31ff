package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the three engines share: building the process spec and turning failures into exceptions. */
final class EngineSupport {
    private EngineSupport() {}

    /**
     * The agent sees its phase in {@code DEKSDENFLOW_PHASE} (the only DEKSDENFLOW_* it gets), and the
     * run's own engine state as {@code CODEX_HOME} and {@code CLAUDE_CONFIG_DIR}.
     */
    static ProcessSpec spec(Settings settings, AgentSandbox sandbox, EngineRequest r, List<String> argv, String stdin,
                            CancelHandle cancel, String binarySetting, Path scratch, EngineState.Run state) {
        Map<String, String> env = new LinkedHashMap<>(state.env());
        env.put("DEKSDENFLOW_PHASE", r.phase());
        ProcessSpec spec = ProcessSpec.of(argv, r.workdir(), r.timeout() != null ? r.timeout() : settings.getEngineTimeout())
                .withStdin(stdin)
                .withEnv(env)
                .withLogFile(r.logFile())
                .withCancel(cancel)
                .withBinarySetting(binarySetting);
        List<Path> readable = r.outputSchema() == null ? List.of() : List.of(r.outputSchema());
        List<Path> writable = new ArrayList<>(List.of(state.dir()));
        if (scratch != null) writable.add(scratch);
        return sandbox.confine(spec, new AgentSandbox.Confinement(r.workdir(), r.readOnly(), r.gitMetadata(),
                writable, readable, r.projectId()));
    }

    /** The run's own engine state (see {@link EngineState}); close it when the run is over. */
    static EngineState.Run state(AgentSandbox sandbox, EngineRequest r) {
        return sandbox.engineState().prepare(r.projectId());
    }

    /** A private directory for the run's own files (answer, prompt), outside the worktree. */
    static Path scratch() {
        try {
            return Files.createTempDirectory("deksdenflow-run-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    /** Throws when the run was cancelled, timed out or exited non-zero; the exception is of the failure's class. */
    static void check(String engine, ProcessResult p, String detail) {
        check(engine, p, detail, null);
    }

    /** @param apiStatus the model API's HTTP status when the CLI reports it, else null */
    static void check(String engine, ProcessResult p, String detail, Integer apiStatus) {
        if (p.cancelled()) throw new EngineCancelledException(engine);
        if (p.timedOut()) throw new EngineException(engine, p.exitCode(), true, detail, p.stderrTail());
        if (p.exitCode() != 0) throw failure(engine, p, detail, apiStatus);
    }

    /** The failure of a run, classified from the API status (if known), the CLI's error and stderr. */
    static EngineException failure(String engine, ProcessResult p, String detail, Integer apiStatus) {
        String text = (detail == null ? "" : detail) + "\n" + (p.stderrTail() == null ? "" : p.stderrTail());
        return EngineException.of(engine, p.exitCode(), false, detail, p.stderrTail(),
                ErrorClassifier.classify(apiStatus, text));
    }
}
