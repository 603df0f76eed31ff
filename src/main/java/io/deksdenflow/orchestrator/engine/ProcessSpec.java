package io.deksdenflow.orchestrator.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One process to run: argv (never through a shell), working directory, stdin text, environment
 * additions, a timeout, an optional log file, a cancel hook and the setting variable that names the
 * binary (for the "not found" message), and an optional listener that sees every stdout line as it
 * arrives (for output larger than what is kept in memory). With {@code isolatedEnv} the process gets
 * exactly {@code env}; otherwise the service's environment without its DEKSDENFLOW_* variables, plus {@code env}.
 */
public record ProcessSpec(
        List<String> command,
        Path workdir,
        String stdin,
        Map<String, String> env,
        Duration timeout,
        Path logFile,
        CancelHandle cancel,
        String binarySetting,
        Consumer<String> stdoutLines,
        boolean isolatedEnv) {

    public ProcessSpec {
        command = List.copyOf(Objects.requireNonNull(command, "command"));
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
        Objects.requireNonNull(workdir, "workdir");
        env = env == null ? Map.of() : Map.copyOf(env);
        timeout = timeout == null ? Duration.ofHours(1) : timeout;
        cancel = cancel == null ? CancelHandle.none() : cancel;
    }

    public static ProcessSpec of(List<String> command, Path workdir, Duration timeout) {
        return new ProcessSpec(command, workdir, null, Map.of(), timeout, null, null, null, null, false);
    }

    public ProcessSpec withStdin(String text) {
        return new ProcessSpec(command, workdir, text, env, timeout, logFile, cancel, binarySetting, stdoutLines, isolatedEnv);
    }

    public ProcessSpec withEnv(Map<String, String> additions) {
        return new ProcessSpec(command, workdir, stdin, additions, timeout, logFile, cancel, binarySetting, stdoutLines, isolatedEnv);
    }

    public ProcessSpec withLogFile(Path file) {
        return new ProcessSpec(command, workdir, stdin, env, timeout, file, cancel, binarySetting, stdoutLines, isolatedEnv);
    }

    public ProcessSpec withCancel(CancelHandle handle) {
        return new ProcessSpec(command, workdir, stdin, env, timeout, logFile, handle, binarySetting, stdoutLines, isolatedEnv);
    }

    public ProcessSpec withStdoutLines(Consumer<String> listener) {
        return new ProcessSpec(command, workdir, stdin, env, timeout, logFile, cancel, binarySetting, listener, isolatedEnv);
    }

    public ProcessSpec withBinarySetting(String variable) {
        return new ProcessSpec(command, workdir, stdin, env, timeout, logFile, cancel, variable, stdoutLines, isolatedEnv);
    }
}
