package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.engine.egress.EgressDefaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the three engines share: building the process spec and turning failures into exceptions. */
final class EngineSupport {
    private EngineSupport() {}

    /**
     * The agent sees its phase in {@code DEKSDENFLOW_PHASE} (the only DEKSDENFLOW_* it gets); {@link #run}
     * adds the run's own engine state as {@code CODEX_HOME} and {@code CLAUDE_CONFIG_DIR}.
     */
    static ProcessSpec spec(EngineSettings settings, EngineRequest r, List<String> argv, String stdin, CancelHandle cancel,
                            String binarySetting) {
        return ProcessSpec.of(argv, r.workdir(), r.timeout() != null ? r.timeout() : settings.engineTimeout())
                .withStdin(stdin)
                .withEnv(Map.of("DEKSDENFLOW_PHASE", r.phase()))
                .withLogFile(r.logFile())
                .withCancel(cancel)
                .withBinarySetting(binarySetting);
    }

    /**
     * Runs {@code spec} confined to the request's worktree (and {@code scratch}) with the run's own engine
     * state (made for this run, removed after it) and an egress path to
     * the engine's model API and the request's (else DEKSDENFLOW_AGENT_EGRESS's) entries, closed when
     * the process has ended.
     */
    static ProcessResult run(AgentSandbox sandbox, ProcessRunner runner, String engine,
                             EngineRequest r, ProcessSpec spec, Path scratch) {
        try (EngineState.Run state = sandbox.engineState().prepare(r.projectId())) {
            Map<String, String> env = new LinkedHashMap<>(state.env());
            env.putAll(spec.env());
            List<Path> readable = r.outputSchema() == null ? List.of() : List.of(r.outputSchema());
            List<Path> writable = new ArrayList<>(List.of(state.dir()));
            if (scratch != null) writable.add(scratch);
            AgentSandbox.Confinement c = new AgentSandbox.Confinement(r.workdir(), r.readOnly(), r.gitMetadata(),
                    writable, readable, r.projectId());
            List<String> entries = new ArrayList<>(EgressDefaults.modelHosts(engine, System.getenv()));
            entries.addAll(r.egress() != null ? r.egress().entries() : sandbox.defaultEgress());
            AgentEgress egress = new AgentEgress(entries, r.egress() == null ? null : r.egress().denied());
            try (ConfinedRun run = sandbox.open(spec.withEnv(env), c, egress)) {
                return runner.run(run.spec());
            }
        }
    }

    /**
     * A private directory for the run's own files (answer, prompt), outside the worktree: a fresh
     * random name, mode 0700, bound into this run's sandbox only.
     */
    static Path scratch() {
        try {
            return Files.createTempDirectory("deksdenflow-run-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null) return;
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
        if (p.exitCode() != 0) {
            String err = p.stderrTail() == null ? "" : p.stderrTail();
            int execvp = err.indexOf("bwrap: execvp ");
            if (execvp >= 0) {
                String line = err.substring(execvp).lines().findFirst().orElse("");
                String program = line.substring("bwrap: execvp ".length()).split(":", 2)[0];
                throw MissingBinaryException.notInSandbox(program, null, line);
            }
            if (p.exitCode() == 127 && err.contains("not found")) {
                // the shell's "command not found" (a wrapper script exec'ing a program the sandbox does not show)
                String line = err.lines().filter(l -> l.contains("not found")).findFirst().orElse("").strip();
                throw MissingBinaryException.notInSandbox(engine, null, line);
            }
            throw failure(engine, p, detail, apiStatus);
        }
    }

    /** The failure of a run, classified from the API status (if known), the CLI's error and stderr. */
    static EngineException failure(String engine, ProcessResult p, String detail, Integer apiStatus) {
        String text = (detail == null ? "" : detail) + "\n" + (p.stderrTail() == null ? "" : p.stderrTail());
        return EngineException.of(engine, p.exitCode(), false, detail, p.stderrTail(),
                ErrorClassifier.classify(apiStatus, text));
    }
}
