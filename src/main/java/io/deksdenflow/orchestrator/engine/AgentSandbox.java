package io.deksdenflow.orchestrator.engine;

import static io.deksdenflow.orchestrator.engine.SandboxTools.abs;
import static io.deksdenflow.orchestrator.engine.SandboxTools.concat;
import static io.deksdenflow.orchestrator.engine.SandboxTools.pathEntries;
import static io.deksdenflow.orchestrator.engine.SandboxTools.real;
import static io.deksdenflow.orchestrator.engine.SandboxTools.reaper;
import static io.deksdenflow.orchestrator.engine.SandboxTools.works;

import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.engine.egress.AgentNetwork;
import io.deksdenflow.orchestrator.engine.egress.EgressPolicy;
import io.deksdenflow.orchestrator.engine.egress.EgressProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where and how an agent process runs: {@code DEKSDENFLOW_AGENT_SANDBOX} = {@code auto} (bubblewrap
 * when {@code bwrap} works here, else none with one warning), {@code bwrap} (required: start-up fails
 * without it) or {@code none}.
 *
 * <p>In bubblewrap the whole filesystem is read-only; /tmp, /var/tmp and HOME are private and empty;
 * the workspace (every project's clone, worktree and log), the database's directory and every
 * {@link HiddenPaths} entry (other projects' local origins among them) are not visible at all, nor
 * the engine state directory and the operator's own {@code CODEX_HOME} / {@code ~/.codex} /
 * {@code CLAUDE_CONFIG_DIR} / {@code ~/.claude} / {@code ~/.claude.json}. Visible again on top of that:
 * PATH entries and the agent's own program (read-only), {@code DEKSDENFLOW_AGENT_SANDBOX_WRITABLE}
 * (writable), the run's own project's git metadata (read-only: the service makes every commit), the
 * run's worktree (read-only in planning and QA) and the run's own engine state ({@link EngineState},
 * writable, deleted after the run).
 * The agent gets its own PID and network namespaces (its only way out is the run's {@link EgressProxy},
 * see {@link #open}; /run and every other host filesystem socket are covered), no capabilities, and dies
 * with its worker
 * ({@code --die-with-parent}). Without bubblewrap the agent is started through
 * {@code setpriv --pdeathsig KILL}, so a killed worker never leaves it running.
 *
 * <p>In every mode the environment is an allow-list: PATH, HOME, LANG, LC_*, TERM, TZ, the engines'
 * own variables (OPENAI_*, CODEX_HOME, ANTHROPIC_*, CLAUDE_*) and the names in
 * {@code DEKSDENFLOW_AGENT_ENV}; never a project secret or another DEKSDENFLOW_* setting.
 */
@Component
public class AgentSandbox {
    private static final Logger log = LoggerFactory.getLogger(AgentSandbox.class);
    static final String SETTING = "DEKSDENFLOW_AGENT_SANDBOX";
    private static final Set<String> ENV_NAMES = Set.of("PATH", "HOME", "LANG", "TERM", "TZ", "CODEX_HOME");
    private static final List<String> ENV_PREFIXES = List.of("LC_", "OPENAI_", "ANTHROPIC_", "CLAUDE_");
    /** Emptied for every agent: private temp dirs, and /run with the host's sockets (PostgreSQL's, MySQL's, …). */
    private static final List<String> TEMP_DIRS = List.of("/tmp", "/var/tmp", "/dev/shm", "/run", "/var/run");

    public enum Kind { BWRAP, NONE }

    /** What one run may touch: its worktree (read-only or not), its project's git metadata, extra files. */
    public record Confinement(Path worktree, boolean readOnly, Path gitMetadata, List<Path> writable,
                              List<Path> readable, Long projectId) {
        public Confinement {
            writable = writable == null ? List.of() : List.copyOf(writable);
            readable = readable == null ? List.of() : List.copyOf(readable);
        }

        public Confinement(Path worktree, boolean readOnly, Path gitMetadata, List<Path> writable, List<Path> readable) {
            this(worktree, readOnly, gitMetadata, writable, readable, null);
        }

        public static Confinement of(Path worktree, boolean readOnly) {
            return new Confinement(worktree, readOnly, null, List.of(), List.of());
        }
    }

    private final Kind kind;
    private final String bwrap;
    private final String setpriv;
    private final String socat;
    private final Map<String, String> baseEnv;
    private final Set<String> extraEnvNames;
    private final List<Path> writable;
    private final List<Path> hiddenDirs;
    private final List<HiddenPaths> hiddenSources;
    private final List<Path> dbFiles;
    private final List<String> reaper;
    private final Path workspace;
    private final AgentLimits limits;
    private final EngineState engineState;
    private final List<String> defaultEgress;

    @Autowired
    public AgentSandbox(SandboxSettings settings, WorkspaceSettings files, DatabaseSettings database,
                        List<HiddenPaths> hidden, AgentLimits limits) {
        this(settings, files, database, hidden, System.getenv(), limits);
    }

    /** With {@code baseEnv} as the service's environment (tests stand in for an operator's CODEX_HOME etc.). */
    public AgentSandbox(SandboxSettings settings, WorkspaceSettings files, DatabaseSettings database,
                        List<HiddenPaths> hidden, Map<String, String> baseEnv) {
        this(settings, files, database, hidden, baseEnv, AgentLimits.off());
    }

    AgentSandbox(SandboxSettings settings, WorkspaceSettings files, DatabaseSettings database,
                 List<HiddenPaths> hidden, Map<String, String> baseEnv, AgentLimits limits) {
        this.limits = limits;
        this.defaultEgress = settings.agentEgressEntries();
        this.baseEnv = Map.copyOf(baseEnv);
        this.engineState = new EngineState(files.engineStateRoot(), this.baseEnv);
        // the state directory and the operator's own engine state: hidden like any HiddenPaths entry
        this.hiddenSources = concat(hidden,
                List.of((HiddenPaths) () -> concat(List.of(engineState.root()), engineState.operatorPaths())));
        this.extraEnvNames = new LinkedHashSet<>(settings.agentEnvNames());
        this.extraEnvNames.removeIf(n -> n.startsWith("DEKSDENFLOW_"));
        this.writable = settings.agentSandboxWritableDirs();
        this.workspace = files.workspaceDir();
        Optional<Path> db = database.sqliteFile();
        this.dbFiles = database.sqliteFiles();
        List<Path> dirs = new ArrayList<>();
        dirs.add(workspace);
        db.map(Path::getParent).filter(SandboxTools::hideableDir).ifPresent(dirs::add);
        this.hiddenDirs = List.copyOf(dirs);
        for (Path w : writable) {
            for (Path h : concat(concat(hiddenDirs, dbFiles), List.of(engineState.root()))) {
                if (h.startsWith(w)) {
                    throw new IllegalStateException("DEKSDENFLOW_AGENT_SANDBOX_WRITABLE entry " + w
                            + " would expose the service's own files (" + h + ") to agents");
                }
            }
        }
        try {
            EgressPolicy.validate(defaultEgress);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("DEKSDENFLOW_AGENT_EGRESS: " + e.getMessage());
        }
        this.setpriv = which("setpriv", this.baseEnv).orElse(null);
        String bw = which("bwrap", this.baseEnv).orElse(null);
        this.socat = which("socat", this.baseEnv).orElse(null);
        switch (settings.agentSandbox()) {
            case NONE -> {
                this.kind = Kind.NONE;
                this.bwrap = null;
            }
            case BWRAP -> {
                if (bw == null || !works(bw)) {
                    throw new IllegalStateException(SETTING + "=bwrap but bubblewrap "
                            + (bw == null ? "('bwrap') is not on the PATH" : "at " + bw + " cannot create a sandbox here")
                            + "; install the 'bubblewrap' package or set " + SETTING + "=none");
                }
                requireSocat("bwrap");
                this.kind = Kind.BWRAP;
                this.bwrap = bw;
            }
            default -> {
                if (bw != null && works(bw)) {
                    requireSocat("auto (bubblewrap works here)");
                    this.kind = Kind.BWRAP;
                    this.bwrap = bw;
                } else {
                    log.warn("agents run WITHOUT a sandbox: bubblewrap ('bwrap') {}; install the 'bubblewrap' package, "
                            + "or set {}=none to silence this", bw == null ? "is not on the PATH" : "does not work here", SETTING);
                    this.kind = Kind.NONE;
                    this.bwrap = null;
                }
            }
        }
        this.reaper = kind == Kind.NONE ? reaper(setpriv, which("unshare", this.baseEnv).orElse(null)) : List.of();
        if (kind == Kind.NONE && setpriv == null) {
            log.warn("'setpriv' (util-linux) is not on the PATH: an agent may outlive a killed worker");
        }
    }

    /** Agents in bubblewrap reach the network only through socat: without it, refuse to start. */
    private void requireSocat(String mode) {
        if (socat != null) return;
        throw new IllegalStateException(SETTING + "=" + mode + " but 'socat' is not on the PATH: agents in bubblewrap "
                + "reach the network (the model API) only through it; install the 'socat' package, or set " + SETTING
                + "=none to run agents without a sandbox");
    }

    /** For unit tests of the engines: no sandbox, no hidden paths. */
    public static AgentSandbox none() {
        WorkspaceSettings files = WorkspaceSettings.defaults()
                .withEngineStateDir(Path.of(System.getProperty("java.io.tmpdir"), "deksdenflow-engine-state").toString());
        return new AgentSandbox(SandboxSettings.defaults().withAgentSandbox(SandboxSettings.SandboxMode.NONE), files,
                DatabaseSettings.defaults(), List.of(), System.getenv());
    }

    public Kind kind() { return kind; }
    /** DEKSDENFLOW_AGENT_EGRESS's entries: what agents may reach when their project names nothing. */
    public List<String> defaultEgress() { return defaultEgress; }

    /** The engines' per-project, per-run state (CODEX_HOME, CLAUDE_CONFIG_DIR of each agent run). */
    public EngineState engineState() { return engineState; }

    /** "bwrap" or "none", as /health reports it. */
    public String describe() { return kind.name().toLowerCase(); }

    /**
     * The spec of an agent run, confined: argv wrapped, environment reduced to the allow-list. In
     * bubblewrap the process has no network at all; {@link #open} gives it an egress path.
     */
    public ProcessSpec confine(ProcessSpec spec, Confinement c) {
        return confine(spec, c, null);
    }

    /**
     * Like {@link #confine}, with the run's egress path: in bubblewrap an {@link EgressProxy} for
     * {@code egress} is started and the agent gets forwarders to it and the proxy variables. Without a
     * sandbox there is nothing to open (and nothing confines the agent's network).
     */
    public ConfinedRun open(ProcessSpec spec, Confinement c, AgentEgress egress) {
        if (kind != Kind.BWRAP || egress == null) return new ConfinedRun(confine(spec, c), null);
        EgressProxy proxy;
        try {
            proxy = EgressProxy.start(EgressPolicy.of(egress.entries()), egress.denied());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new ConfinedRun(confine(spec, c, proxy), proxy);
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
    }

    private ProcessSpec confine(ProcessSpec spec, Confinement c, EgressProxy proxy) {
        String program = spec.command().get(0);
        Path p = Path.of(program);
        boolean found = p.isAbsolute() ? Files.isRegularFile(p) && Files.isExecutable(p)
                : program.contains("/") ? Files.isExecutable(p.toAbsolutePath()) : which(program, baseEnv).isPresent();
        if (!found) throw new MissingBinaryException(program, spec.binarySetting(), null);
        if (kind == Kind.BWRAP) SandboxTools.requireVisible(program, baseEnv, workspace, dbFiles, spec.binarySetting());
        Map<String, String> env = environment(spec.env());
        List<String> argv = new ArrayList<>();
        if (kind == Kind.BWRAP) {
            argv.addAll(bwrapArgs(spec, c));
            if (proxy != null) {
                argv.addAll(List.of("--ro-bind", proxy.directory().toString(), AgentNetwork.SANDBOX_DIR));
                int port = AgentNetwork.proxyPort(proxy.forwards());
                argv.add("--");
                argv.addAll(AgentNetwork.wrapper(socat, port, proxy.forwards()));
                env.putAll(AgentNetwork.proxyEnv(port));
            } else {
                argv.add("--");
            }
        } else {
            argv.addAll(reaper);
        }
        argv.addAll(spec.command());
        return new ProcessSpec(limits.wrap(argv), spec.workdir(), spec.stdin(), env, spec.timeout(), spec.logFile(), spec.cancel(),
                spec.binarySetting(), spec.stdoutLines(), true);
    }

    /** The agent's whole environment: the allow-list of the service's own, plus the run's additions. */
    Map<String, String> environment(Map<String, String> additions) {
        Map<String, String> env = new LinkedHashMap<>();
        baseEnv.forEach((k, v) -> {
            if (allowed(k)) env.put(k, v);
        });
        env.putAll(additions);
        return env;
    }

    private boolean allowed(String name) {
        if (extraEnvNames.contains(name)) return true;
        if (name.startsWith("DEKSDENFLOW_")) return false;
        return ENV_NAMES.contains(name) || ENV_PREFIXES.stream().anyMatch(name::startsWith);
    }

    private List<String> bwrapArgs(ProcessSpec spec, Confinement c) {
        List<String> a = new ArrayList<>(List.of(bwrap, "--die-with-parent", "--new-session", "--unshare-pid",
                "--unshare-ipc", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--cap-drop", "ALL",
                "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
        Path home = home();
        // 1. hide: private temp dirs and HOME, then the service's own directories and files
        List<Path> tmpfs = new ArrayList<>();
        for (String t : TEMP_DIRS) {
            // /var/run is usually a link to /run
            if (Files.isDirectory(Path.of(t), LinkOption.NOFOLLOW_LINKS)) tmpfs.add(Path.of(t));
        }
        if (home != null && home.getNameCount() > 0) tmpfs.add(home);
        tmpfs.addAll(hiddenDirs);
        List<Path> hiddenFiles = new ArrayList<>(dbFiles);
        for (HiddenPaths source : hiddenSources) {
            for (Path p : source.hiddenFromAgents(c.projectId())) {
                Path abs = p.toAbsolutePath().normalize();
                if (Files.isDirectory(abs)) tmpfs.add(abs);
                else hiddenFiles.add(abs);
            }
        }
        tmpfs.stream().distinct().sorted(Comparator.comparingInt(Path::getNameCount))
                .forEach(p -> a.addAll(List.of("--tmpfs", p.toString())));
        for (Path f : hiddenFiles) {
            if (Files.isRegularFile(f) && tmpfs.stream().noneMatch(f::startsWith)) {
                a.addAll(List.of("--ro-bind", "/dev/null", f.toString()));
            }
        }
        // 2. visible again: programs (read-only), engine state and configured caches (writable)
        List<Mount> mounts = new ArrayList<>();
        for (Path bin : programDirs(spec.command().get(0))) {
            // never a program inside the workspace (another project's clone); beside the database is fine:
            // the database's own files are hidden again below
            if (tmpfs.stream().anyMatch(bin::startsWith) && !bin.startsWith(workspace)
                    && dbFiles.stream().noneMatch(f -> f.startsWith(bin))) {
                // a tool installed in HOME (~/.local/bin, ~/.pyenv/shims, ~/.nvm/…/bin) needs its whole tree
                Path shown = home != null && bin.startsWith(home) && bin.getNameCount() > home.getNameCount()
                        ? home.resolve(bin.getName(home.getNameCount())) : bin;
                mounts.add(new Mount("--ro-bind-try", shown));
            }
        }
        for (Path w : writable) mounts.add(new Mount("--bind-try", w));
        emit(a, mounts);
        // 3. what step 2 showed again inside an ancestor (a program beside the workspace) is hidden again
        List<Path> hiddenAgain = tmpfs.stream().filter(h -> !isTemp(h, home))
                .filter(h -> mounts.stream().anyMatch(m -> h.startsWith(m.path()) && !h.equals(m.path())))
                .distinct().sorted(Comparator.comparingInt(Path::getNameCount)).toList();
        hiddenAgain.forEach(h -> a.addAll(List.of("--tmpfs", h.toString())));
        for (Path f : hiddenFiles) {
            if (Files.isRegularFile(f) && mounts.stream().anyMatch(m -> f.startsWith(m.path()))
                    && hiddenAgain.stream().noneMatch(f::startsWith)) {
                a.addAll(List.of("--ro-bind", "/dev/null", f.toString()));
            }
        }
        // 4. the run itself: git metadata read-only, the worktree, the run's own files
        List<Mount> run = new ArrayList<>();
        if (c.gitMetadata() != null) run.add(new Mount("--ro-bind", abs(c.gitMetadata())));
        run.add(new Mount(c.readOnly() ? "--ro-bind" : "--bind", abs(c.worktree())));
        for (Path r : c.readable()) run.add(new Mount("--ro-bind", abs(r)));
        for (Path w : c.writable()) run.add(new Mount("--bind", abs(w)));
        emit(a, run);
        // 5. every other host filesystem socket (a database's, a daemon's) is covered
        List<Path> shown = concat(mounts.stream().map(Mount::path).toList(), run.stream().map(Mount::path).toList());
        for (Path sock : AgentNetwork.hostSockets()) {
            boolean hidden = tmpfs.stream().anyMatch(h -> sock.startsWith(real(h)))
                    && shown.stream().noneMatch(m -> sock.startsWith(real(m)));
            if (!hidden) a.addAll(List.of("--ro-bind", "/dev/null", sock.toString()));
        }
        a.addAll(List.of("--chdir", abs(spec.workdir()).toString()));
        return a;
    }

    private record Mount(String op, Path path) {}

    /** Shallow paths first, so a deeper mount lands on top of the one that contains it. */
    private static void emit(List<String> args, List<Mount> mounts) {
        mounts.stream().sorted(Comparator.comparingInt(m -> m.path().getNameCount()))
                .forEach(m -> args.addAll(List.of(m.op(), m.path().toString(), m.path().toString())));
    }

    /** The private temp directories and HOME: emptied for privacy, not because they hold the service's files. */
    private static boolean isTemp(Path p, Path home) {
        return p.equals(home) || TEMP_DIRS.contains(p.toString());
    }

    private Path home() {
        String h = baseEnv.get("HOME");
        return h == null || h.isBlank() ? null : Path.of(h).toAbsolutePath().normalize();
    }

    /** PATH entries, and the agent's own program with its package (a node_modules tree). */
    private List<Path> programDirs(String program) {
        Set<Path> out = new LinkedHashSet<>();
        for (String dir : pathEntries(baseEnv)) out.add(abs(Path.of(dir)));
        Path p = Path.of(program);
        if (!p.isAbsolute()) p = which(program, baseEnv).map(Path::of).orElse(null);
        if (p != null) {
            out.add(abs(p).getParent());
            try {
                Path real = p.toRealPath();
                Path pkg = real.getParent();
                for (Path up = real.getParent(); up != null; up = up.getParent()) {
                    if (up.getFileName() != null && up.getFileName().toString().equals("node_modules")) {
                        pkg = up.getParent();
                        break;
                    }
                }
                out.add(pkg);
            } catch (IOException ignored) {
                // a missing program is reported by the runner
            }
        }
        out.remove(null);
        return new ArrayList<>(out);
    }

    static Optional<String> which(String program, Map<String, String> env) {
        return SandboxTools.which(program, env);
    }
}
