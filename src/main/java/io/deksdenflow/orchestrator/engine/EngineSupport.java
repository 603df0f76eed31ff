package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.config.Settings;
import java.util.List;
import java.util.Map;

/** What the three engines share: building the process spec and turning failures into exceptions. */
final class EngineSupport {
    private EngineSupport() {}

    /** The agent sees its phase in {@code DEKSDENFLOW_PHASE} (the only DEKSDENFLOW_* it gets). */
    static ProcessSpec spec(Settings settings, EngineRequest r, List<String> argv, String stdin,
                            CancelHandle cancel, String binarySetting) {
        return ProcessSpec.of(argv, r.workdir(), r.timeout() != null ? r.timeout() : settings.getEngineTimeout())
                .withStdin(stdin)
                .withEnv(Map.of("DEKSDENFLOW_PHASE", r.phase()))
                .withLogFile(r.logFile())
                .withCancel(cancel)
                .withBinarySetting(binarySetting);
    }

    /** Throws when the run was cancelled, timed out or exited non-zero. */
    static void check(String engine, ProcessResult p, String detail) {
        if (p.cancelled()) throw new EngineCancelledException(engine);
        if (p.timedOut()) throw new EngineException(engine, p.exitCode(), true, detail, p.stderrTail());
        if (p.exitCode() != 0) throw new EngineException(engine, p.exitCode(), false, detail, p.stderrTail());
    }
}
