package io.deksdenflow.orchestrator.engine;

import java.time.Duration;

/** Outcome of one process: exit code (-1 when killed), captured stdout, stderr tail and flags. */
public record ProcessResult(
        int exitCode,
        String stdout,
        boolean stdoutTruncated,
        String stderrTail,
        Duration duration,
        boolean timedOut,
        boolean cancelled) {
}
