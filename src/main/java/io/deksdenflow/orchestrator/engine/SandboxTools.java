package io.deksdenflow.orchestrator.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** What {@link AgentSandbox} needs from the machine: programs on the PATH, probes, small path helpers. */
final class SandboxTools {
    private SandboxTools() {}

    /**
     * Without bubblewrap: {@code setpriv --pdeathsig KILL} kills the agent when its worker dies, and
     * {@code unshare --pid --fork --kill-child} (when this machine allows a PID namespace, as root or
     * through a user namespace) takes the agent's own children with it.
     */
    static List<String> reaper(String setpriv, String unshare) {
        List<String> out = new ArrayList<>();
        if (setpriv != null) out.addAll(List.of(setpriv, "--pdeathsig", "KILL", "--"));
        if (unshare != null) {
            // --mount-proc: a /proc of the new PID namespace; with the parent's, Codex's own sandbox
            // (bwrap --unshare-pid inside) never sees its commands finish
            for (List<String> flags : List.of(List.of("--pid", "--fork", "--kill-child", "--mount-proc"),
                    List.of("--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount-proc"))) {
                List<String> cmd = new ArrayList<>(List.of(unshare));
                cmd.addAll(flags);
                if (succeeds(concat(cmd, List.of("--", "true")))) {
                    out.addAll(cmd);
                    out.add("--");
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    static boolean works(String bwrap) {
        return succeeds(List.of(bwrap, "--die-with-parent", "--unshare-pid", "--cap-drop", "ALL",
                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--unshare-net", "--", "true"));
    }

    static boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Optional<String> which(String program, Map<String, String> env) {
        for (String dir : pathEntries(env)) {
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p.toString());
        }
        return Optional.empty();
    }

    static List<String> pathEntries(Map<String, String> env) {
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator)).filter(s -> !s.isBlank() && s.startsWith("/")).toList();
    }

    static Path abs(Path p) {
        return p.toAbsolutePath().normalize();
    }

    static <T> List<T> concat(Collection<T> a, Collection<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** The path with links resolved, or as it is when it does not exist. */
    static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /**
     * A program inside the workspace or the database's directory is not shown to agents (those
     * directories are hidden whole): say so, and which setting moves it, instead of letting bubblewrap
     * fail with "execvp: No such file or directory".
     */
    static void requireVisible(String program, Map<String, String> baseEnv, Path workspace, List<Path> dbFiles,
                               String setting) {
        Path p = Path.of(program);
        Path abs = p.isAbsolute() || program.contains("/") ? abs(p) : which(program, baseEnv).map(Path::of).map(SandboxTools::abs).orElse(null);
        if (abs == null) return;
        List<Path> dirs = new ArrayList<>(List.of(abs.getParent()));
        try {
            dirs.add(abs.toRealPath().getParent());
        } catch (IOException ignored) {
            // checked by the caller
        }
        for (Path bin : dirs) {
            // the rule of programDirs: never shown from the workspace or from a directory holding the database
            if (bin.startsWith(workspace)) throw MissingBinaryException.hidden(program, workspace, setting);
            if (dbFiles.stream().anyMatch(f -> f.startsWith(bin))) throw MissingBinaryException.hidden(program, bin, setting);
        }
    }

    private static final Set<String> SYSTEM_DIRS = Set.of("usr", "bin", "sbin", "lib", "lib32",
            "lib64", "etc", "opt", "var", "srv", "proc", "sys", "dev", "run", "boot", "snap", "nix");

    /** A directory the sandbox may hide whole: not the root, not a system directory such as /usr or /etc. */
    static boolean hideableDir(Path dir) {
        if (dir == null || dir.getNameCount() == 0) return false;
        return dir.getNameCount() >= 2 || !SYSTEM_DIRS.contains(dir.getFileName().toString());
    }
}
