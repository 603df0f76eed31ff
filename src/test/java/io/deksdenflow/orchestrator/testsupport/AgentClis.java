package io.deksdenflow.orchestrator.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real agent CLIs at pinned versions, installed from the npm registry into
 * {@code target/agent-clis} (once; a later run finds them there). {@link #ensure} returns null when
 * they cannot be installed (no npm, registry unreachable): the suites using them then skip, and
 * {@code .ci/check_reports.py} fails CI for it.
 */
public final class AgentClis {
    public static final String CODEX = "@openai/codex@0.171.0";
    public static final String CLAUDE = "@anthropic-ai/claude-code@2.1.197";
    public static final String CODEX_VERSION = "codex-cli 0.171.0";
    public static final String CLAUDE_VERSION = "2.1.197 (Claude Code)";
    public static final Path DIR = Path.of("target", "agent-clis").toAbsolutePath();

    public record Installed(Path codex, Path claude) {}

    private static Installed installed;
    private static String failure;

    private AgentClis() {}

    /** The two CLIs, installed if needed; null (with {@link #failure()}) when npm cannot install them. */
    public static synchronized Installed ensure() {
        if (installed != null || failure != null) return installed;
        Path codex = DIR.resolve("node_modules/.bin/codex");
        Path claude = DIR.resolve("node_modules/.bin/claude");
        if (!version(codex).contains(CODEX_VERSION) || !version(claude).contains(CLAUDE_VERSION)) {
            String out = run(List.of("npm", "install", "--prefix", DIR.toString(), "--no-audit", "--no-fund",
                    "--no-save", "--loglevel=error", "--fetch-retries=2", CODEX, CLAUDE), 600);
            if (!version(codex).contains(CODEX_VERSION) || !version(claude).contains(CLAUDE_VERSION)) {
                failure = "npm could not install " + CODEX + " and " + CLAUDE + ": " + out;
                return null;
            }
        }
        installed = new Installed(codex, claude);
        return installed;
    }

    public static String failure() { return failure; }

    private static String version(Path bin) {
        if (!Files.isExecutable(bin)) return "";
        return run(List.of(bin.toString(), "--version"), 60);
    }

    private static String run(List<String> argv, int seconds) {
        try {
            Files.createDirectories(DIR);
            Path log = Files.createTempFile("agent-clis", ".log");
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out after " + seconds + " s";
            }
            String out = Files.readString(log, StandardCharsets.UTF_8).strip();
            Files.deleteIfExists(log);
            return out;
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
