package io.deksdenflow.orchestrator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.UntrustedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The engines' own state (Codex's {@code CODEX_HOME}, Claude Code's {@code CLAUDE_CONFIG_DIR}), per
 * project and per run, never the operator's.
 *
 * <p>Every agent run gets {@code <DEKSDENFLOW_ENGINE_STATE_DIR>/<project id>/run-XXXX/{codex,claude}}
 * (directories 0700, files 0600), filled at run start with a fresh copy of the operator's login and
 * configuration: Codex's {@code auth.json} and {@code config.toml} from {@code $CODEX_HOME} (else
 * {@code ~/.codex}); Claude Code's {@code .credentials.json} and {@code settings.json} from
 * {@code $CLAUDE_CONFIG_DIR} (else {@code ~/.claude}) and the login part of its {@code .claude.json}
 * (only the keys in {@link #CLAUDE_JSON_KEYS}, never its per-project history). The agent runs with
 * {@code CODEX_HOME} and {@code CLAUDE_CONFIG_DIR} set to these copies; in bubblewrap only this run's
 * copy is visible (the whole state directory and the operator's own are hidden).
 *
 * <p>Nothing an agent or CLI writes there persists: the run's directory is deleted when the run ends,
 * so a planted {@code settings.json}, {@code config.toml} edit, {@code AGENTS.md} or hook never reaches
 * the next run, another project, or the operator's own {@code ~/.codex} / {@code ~/.claude}. What is
 * lost with it is only the CLIs' session history, and a login token a CLI refreshed during the run (the
 * operator's copy is never written back: that would be the channel this closes).
 *
 * <p>The operator's files are read safely: not through a symbolic link, regular files only, at most
 * {@link #MAX_FILE_BYTES} each.
 */
public final class EngineState {
    static final long MAX_FILE_BYTES = 1 << 20;
    static final List<String> CODEX_FILES = List.of("auth.json", "config.toml");
    static final List<String> CLAUDE_FILES = List.of(".credentials.json", "settings.json");
    /** What Claude Code needs of {@code .claude.json} to start logged in, without its history. */
    static final Set<String> CLAUDE_JSON_KEYS = Set.of("oauthAccount", "userID", "primaryApiKey",
            "customApiKeyResponses", "hasCompletedOnboarding", "lastOnboardingVersion", "hasAvailableSubscription");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path codexSource;
    private final Path claudeSource;
    private final Path claudeJson;

    /**
     * @param root the state directory (DEKSDENFLOW_ENGINE_STATE_DIR)
     * @param env the service's environment: where the operator's CODEX_HOME, CLAUDE_CONFIG_DIR and HOME are
     */
    EngineState(Path root, Map<String, String> env) {
        this.root = root.toAbsolutePath().normalize();
        Path home = present(env.get("HOME"));
        Path codexHome = present(env.get("CODEX_HOME"));
        Path claudeDir = present(env.get("CLAUDE_CONFIG_DIR"));
        this.codexSource = codexHome != null ? codexHome : home == null ? null : home.resolve(".codex");
        this.claudeSource = claudeDir != null ? claudeDir : home == null ? null : home.resolve(".claude");
        this.claudeJson = claudeDir != null ? claudeDir.resolve(".claude.json")
                : home == null ? null : home.resolve(".claude.json");
    }

    /** The directory that holds every project's engine state: hidden from agents, refused as a git_url. */
    public Path root() { return root; }

    /** The operator's own engine state (directories and files): never shown to an agent. */
    List<Path> operatorPaths() {
        return Stream.of(codexSource, claudeSource, claudeJson).filter(p -> p != null).toList();
    }

    /** One run's engine state; {@link #close} deletes it. */
    public record Run(Path dir, Path codexHome, Path claudeConfigDir) implements AutoCloseable {
        /** CODEX_HOME and CLAUDE_CONFIG_DIR of the agent's environment. */
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CODEX_HOME", codexHome.toString());
            env.put("CLAUDE_CONFIG_DIR", claudeConfigDir.toString());
            return env;
        }

        @Override
        public void close() {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // nothing left to delete
            }
        }
    }

    /** A fresh state directory for one run of {@code projectId} (null: a run outside any project). */
    public Run prepare(Long projectId) {
        try {
            Path project = privateDir(privateDir(root).resolve(projectId == null ? "no-project" : Long.toString(projectId)));
            Path dir = Files.createTempDirectory(project, "run-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Run run = new Run(dir, privateDir(dir.resolve("codex")), privateDir(dir.resolve("claude")));
            try {
                copy(codexSource, CODEX_FILES, run.codexHome());
                copy(claudeSource, CLAUDE_FILES, run.claudeConfigDir());
                claudeLogin().ifPresent(bytes -> write(run.claudeConfigDir().resolve(".claude.json"), bytes));
            } catch (RuntimeException e) {
                run.close();
                throw e;
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the engine state under " + root + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Path from, List<String> names, Path to) {
        if (from == null) return;
        for (String name : names) readSafely(from.resolve(name)).ifPresent(bytes -> write(to.resolve(name), bytes));
    }

    private Optional<byte[]> claudeLogin() {
        if (claudeJson == null) return Optional.empty();
        return readSafely(claudeJson).flatMap(bytes -> {
            try {
                JsonNode all = JSON.readTree(bytes);
                if (all == null || !all.isObject()) return Optional.empty();
                ObjectNode kept = JSON.createObjectNode();
                all.fields().forEachRemaining(e -> {
                    if (CLAUDE_JSON_KEYS.contains(e.getKey())) kept.set(e.getKey(), e.getValue());
                });
                return Optional.of(JSON.writeValueAsBytes(kept));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    /**
     * The file's bytes when it is a regular file (not a link, FIFO or device), at most
     * {@link #MAX_FILE_BYTES}; else empty: the CLI runs without it.
     */
    static Optional<byte[]> readSafely(Path file) {
        try {
            UntrustedFiles.Content c = UntrustedFiles.read(file, MAX_FILE_BYTES, "engine login file");
            return c.truncated() ? Optional.empty() : Optional.of(c.text().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | UntrustedContentException e) {
            return Optional.empty();
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path privateDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    private static Path present(String p) {
        return p == null || p.isBlank() ? null : Path.of(p).toAbsolutePath().normalize();
    }
}
