package io.deksdenflow.orchestrator.engine;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Bounds one agent run's memory, processes, file size and CPU time ({@link AgentLimitSettings}).
 *
 * <p>Memory and processes need a cgroup: when the service may create cgroups under its own (cgroup v1
 * {@code memory} and {@code pids} hierarchies writable, as for root on a v1 or hybrid host), each run
 * gets {@code <own cgroup>/deksdenflow-agents/run-<id>} with {@code memory.limit_in_bytes} and
 * {@code pids.max}, and its first process joins it before it execs the agent; empty run cgroups are
 * removed on the next run and at shutdown. Without that (cgroup v2 without a delegated subtree, a
 * read-only cgroup mount in a container) memory falls back to {@code RLIMIT_AS} and the process count
 * is not bounded (RLIMIT_NPROC counts every process of the user, the service's own threads included).
 * File size ({@code RLIMIT_FSIZE}) and CPU seconds ({@code RLIMIT_CPU}, per process) are rlimits set
 * through {@code prlimit} in every mode.
 */
@Component
public class AgentLimits {
    private static final Logger log = LoggerFactory.getLogger(AgentLimits.class);
    private static final String GROUP = "deksdenflow-agents";
    /** A run group is swept only when older than this (created, not yet joined, by another run). */
    static final Duration SWEEP_GRACE = Duration.ofMinutes(2);
    /** Joins every cgroup named before "--", then execs the rest: the agent starts inside its cgroups. */
    private static final String JOIN = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";
    private static final long MB = 1024L * 1024L;

    public enum Mechanism { CGROUP1, RLIMIT, OFF }

    private final AgentLimitSettings limits;
    private final String prlimit;
    /** controller name → this service's agents group in that controller's hierarchy */
    private final Map<String, Path> groups;
    private final Mechanism mechanism;

    @Autowired
    public AgentLimits(AgentLimitSettings limits) {
        this(limits, Path.of("/proc/self/cgroup"), Path.of("/sys/fs/cgroup"), System.getenv());
    }

    AgentLimits(AgentLimitSettings limits, Path procCgroup, Path cgroupRoot, Map<String, String> env) {
        this.limits = limits;
        this.prlimit = AgentSandbox.which("prlimit", env).orElse(null);
        boolean wantCgroup = limits.agentMemoryMb() > 0 || limits.agentPids() > 0;
        this.groups = wantCgroup ? cgroupV1(procCgroup, cgroupRoot) : Map.of();
        boolean any = wantCgroup || limits.agentFileSizeMb() > 0 || limits.agentCpuSeconds() > 0;
        this.mechanism = !any ? Mechanism.OFF : groups.isEmpty() ? Mechanism.RLIMIT : Mechanism.CGROUP1;
        if (any && prlimit == null) {
            log.warn("'prlimit' (util-linux) is not on the PATH: agent runs get no file-size, CPU-time"
                    + (groups.isEmpty() ? " or memory" : "") + " bound");
        }
        if (mechanism == Mechanism.RLIMIT && limits.agentPids() > 0) {
            log.info("agent process count not bounded (DEKSDENFLOW_AGENT_PIDS): no writable cgroup for this service; "
                    + "memory is bounded as address space (RLIMIT_AS)");
        }
    }

    /** No bounds (unit tests of the engines). */
    public static AgentLimits off() {
        return new AgentLimits(AgentLimitSettings.off(), Path.of("/nonexistent"), Path.of("/nonexistent"), Map.of());
    }

    public Mechanism mechanism() { return mechanism; }

    /** "cgroup1", "rlimit" or "off", as /health reports it. */
    public String describe() { return mechanism.name().toLowerCase(); }

    /** {@code argv} started inside a fresh run cgroup (when there is one) with the run's rlimits. */
    public List<String> wrap(List<String> argv) {
        if (mechanism == Mechanism.OFF) return argv;
        List<String> out = new ArrayList<>();
        if (!groups.isEmpty()) {
            sweep();
            List<Path> procs = runGroup();
            if (!procs.isEmpty()) {
                out.addAll(List.of("/bin/sh", "-c", JOIN, "sh"));
                procs.forEach(p -> out.add(p.toString()));
                out.add("--");
            }
        }
        if (prlimit != null) {
            List<String> rl = new ArrayList<>();
            if (limits.agentFileSizeMb() > 0) rl.add("--fsize=" + limits.agentFileSizeMb() * MB);
            if (limits.agentCpuSeconds() > 0) rl.add("--cpu=" + limits.agentCpuSeconds());
            if (groups.isEmpty() && limits.agentMemoryMb() > 0) rl.add("--as=" + limits.agentMemoryMb() * MB);
            if (!rl.isEmpty()) {
                out.add(prlimit);
                out.addAll(rl);
                out.add("--");
            }
        }
        out.addAll(argv);
        return out;
    }

    /** A new run cgroup in each hierarchy, limits written; its {@code cgroup.procs} files (empty on failure). */
    private List<Path> runGroup() {
        String id = "run-" + UUID.randomUUID().toString().substring(0, 12);
        List<Path> procs = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> g : groups.entrySet()) {
                Path dir = Files.createDirectory(g.getValue().resolve(id));
                if (g.getKey().equals("memory")) {
                    write(dir.resolve("memory.limit_in_bytes"), limits.agentMemoryMb() * MB);
                    Path swap = dir.resolve("memory.memsw.limit_in_bytes");
                    if (Files.exists(swap)) write(swap, limits.agentMemoryMb() * MB);
                } else {
                    write(dir.resolve("pids.max"), limits.agentPids());
                }
                procs.add(dir.resolve("cgroup.procs"));
            }
            return procs;
        } catch (IOException e) {
            log.warn("could not create the agent run's cgroup ({}); the run starts without its memory/pids bound", e.toString());
            return List.of();
        }
    }

    private static void write(Path file, long value) throws IOException {
        Files.writeString(file, Long.toString(value), StandardCharsets.US_ASCII);
    }

    /**
     * Removes run cgroups whose processes are all gone (a cgroup with a live process refuses rmdir). A
     * group younger than {@link #SWEEP_GRACE} is left alone: its run may not have joined it yet, and every
     * worker process (and every thread of this one) sweeps the same shared group.
     */
    @PreDestroy
    public void sweep() {
        sweep(SWEEP_GRACE);
    }

    void sweep(Duration grace) {
        long cutoff = System.currentTimeMillis() - grace.toMillis();
        for (Path group : groups.values()) {
            try (Stream<Path> runs = Files.list(group)) {
                runs.filter(p -> p.getFileName().toString().startsWith("run-")).forEach(run -> {
                    try {
                        if (Files.getLastModifiedTime(run).toMillis() > cutoff) return;
                        if (Files.readString(run.resolve("cgroup.procs")).isBlank()) Files.delete(run);
                    } catch (IOException ignored) {
                        // still in use, or already gone: the next sweep tries again
                    }
                });
            } catch (IOException ignored) {
                // the group went away: nothing to sweep
            }
        }
    }

    /**
     * The agents group under this process's own cgroup in the v1 {@code memory} and {@code pids}
     * hierarchies (only those with a limit set), created when missing; empty when either is not writable.
     */
    private Map<String, Path> cgroupV1(Path procCgroup, Path root) {
        Map<String, Path> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(procCgroup);
        } catch (IOException e) {
            return Map.of();
        }
        for (String controller : List.of("memory", "pids")) {
            if (controller.equals("memory") ? limits.agentMemoryMb() == 0 : limits.agentPids() == 0) continue;
            String own = null;
            for (String line : lines) {
                String[] f = line.split(":", 3);
                if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) own = f[2];
            }
            Path hierarchy = root.resolve(controller);
            if (own == null || !Files.isDirectory(hierarchy)) return Map.of();
            Path group = hierarchy.resolve(own.replaceFirst("^/+", "")).resolve(GROUP);
            try {
                Files.createDirectories(group);
                Path probe = Files.createDirectory(group.resolve("run-probe-" + UUID.randomUUID().toString().substring(0, 8)));
                Files.delete(probe);
            } catch (IOException | SecurityException e) {
                return Map.of();
            }
            out.put(controller, group);
        }
        return Map.copyOf(out);
    }
}
