package io.deksdenflow.orchestrator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.UntrustedContentException;
import io.deksdenflow.orchestrator.common.UntrustedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * OpenAI Codex CLI: {@code codex exec --json [-m MODEL] --cd DIR --sandbox read-only|workspace-write
 * --skip-git-repo-check [--output-schema FILE] --output-last-message FILE -}, prompt on stdin. The
 * answer is the last-message file; usage is summed over {@code turn.completed} events. A failed
 * command is kept as the result's tool failure; one that failed because Codex's own sandbox could
 * not start fails the run (permanent: it fails the same way every time).
 */
@Component
public class CodexEngine implements Engine {
    static final String BIN_SETTING = "DEKSDENFLOW_CODEX_BIN";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineSettings settings;
    private final ProcessRunner runner;
    private final AgentSandbox sandbox;

    public CodexEngine(EngineSettings settings, ProcessRunner runner) {
        this(settings, runner, AgentSandbox.none());
    }

    @org.springframework.beans.factory.annotation.Autowired
    public CodexEngine(EngineSettings settings, ProcessRunner runner, AgentSandbox sandbox) {
        this.settings = settings;
        this.runner = runner;
        this.sandbox = sandbox;
    }

    @Override
    public String name() { return "codex"; }

    List<String> argv(EngineRequest r, Path lastMessageFile) {
        List<String> a = new ArrayList<>(List.of(settings.codexBin(), "exec", "--json"));
        if (r.hasModel()) a.addAll(List.of("-m", r.model()));
        a.addAll(List.of("--cd", r.workdir().toString(),
                "--sandbox", codexSandbox(r),
                "--skip-git-repo-check"));
        if (r.outputSchema() != null) a.addAll(List.of("--output-schema", r.outputSchema().toString()));
        a.addAll(List.of("--output-last-message", lastMessageFile.toString(), "-"));
        return a;
    }

    /**
     * Inside the service's bubblewrap sandbox Codex's own sandbox is off (the service's provides the
     * isolation, and makes planning and QA read-only); without it, Codex keeps its own.
     */
    private String codexSandbox(EngineRequest r) {
        if (sandbox.kind() == AgentSandbox.Kind.BWRAP) return "danger-full-access";
        return r.readOnly() ? "read-only" : "workspace-write";
    }

    /**
     * Codex's own sandbox runs each command through its helper {@code codex-linux-sandbox}, which it
     * links under {@code $CODEX_HOME} at start-up and refuses to create under a temporary directory;
     * without it every command fails ({@code bwrap: execvp codex-linux-sandbox}) while the run exits 0.
     */
    String ownSandboxFailure(EngineRequest r, Events events, String stderr) {
        if (codexSandbox(r).equals("danger-full-access")) return null;
        boolean helperMissing = stderr != null && stderr.contains("could not create PATH aliases");
        boolean commandFailed = events.failedCommand != null && events.failedCommand.contains("codex-linux-sandbox");
        if (!helperMissing && !commandFailed) return null;
        return "Codex's own sandbox cannot start (its helper codex-linux-sandbox is missing"
                + (helperMissing ? ": Codex does not create it while CODEX_HOME is under a temporary directory" : "")
                + "); set DEKSDENFLOW_ENGINE_STATE_DIR (where each run's CODEX_HOME is made) to a directory outside /tmp, "
                + "or install bubblewrap ('bubblewrap' package) and set "
                + AgentSandbox.SETTING + "=bwrap so the service's sandbox confines Codex instead";
    }

    @Override
    public EngineResult run(EngineRequest r, CancelHandle cancel) {
        Path scratch = EngineSupport.scratch();
        try {
            // Outside the worktree, so the agent's answer is never committed.
            Path last = Files.createFile(scratch.resolve("last-message"));
            // Events are read as they stream: a long run's JSONL may outgrow the stdout kept in memory.
            Events events = new Events();
            ProcessResult p = EngineSupport.run(sandbox, runner, name(), r, EngineSupport.spec(settings, r,
                    argv(r, last), r.prompt(), cancel, BIN_SETTING).withStdoutLines(events::accept), scratch);
            if (p.exitCode() != 0 && p.stderrTail() != null && p.stderrTail().contains("output path was replaced")) {
                // Codex's own guard: something in the run swapped its answer file (a link, a FIFO) — tampering, not a glitch
                throw new UntrustedContentException(UntrustedContentException.UNSAFE_PATH,
                        "Codex's answer file (last-message) was replaced during the run; the service does not read it");
            }
            EngineSupport.check(name(), p, events.error);
            String text = answer(last);
            synchronized (events) {
                if (events.error != null && events.turns == 0) {
                    // a turn that failed before any usage (an API error) can still exit 0
                    throw EngineSupport.failure(name(), new ProcessResult(1, p.stdout(), p.stdoutTruncated(),
                            p.stderrTail(), p.duration(), false, false), events.error, null);
                }
                String sandboxFailure = ownSandboxFailure(r, events, p.stderrTail());
                if (sandboxFailure != null) {
                    throw new PermanentEngineException(name(), p.exitCode(), sandboxFailure, p.stderrTail());
                }
                if (text.isBlank() && events.lastAgentMessage != null) text = events.lastAgentMessage;
                if (events.turns == 0) {
                    return new EngineResult(0, text, Engine.estimateTokens(r.prompt()), 0, false, null, p.duration(),
                            0, events.failedCommand);
                }
                return new EngineResult(0, text, events.input, events.output, true, null, p.duration(), events.cachedInput,
                        events.failedCommand);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            EngineSupport.deleteTree(scratch);
        }
    }

    /**
     * The last-message file, read as untrusted: the agent can write the scratch folder, so a link, a
     * FIFO or a device there fails the run (never followed, never blocks); a file over
     * {@code DEKSDENFLOW_AGENT_OUTPUT_MAX_BYTES} is cut; a missing one is an empty answer.
     */
    private String answer(Path last) throws IOException {
        UntrustedFiles.Content c;
        try {
            c = UntrustedFiles.read(last, settings.agentOutputMaxBytes(), "Codex's last-message file");
        } catch (NoSuchFileException e) {
            return "";
        }
        return c.truncated() ? c.text() + "\n\n[answer cut at " + settings.agentOutputMaxBytes() + " of " + c.size()
                + " bytes (DEKSDENFLOW_AGENT_OUTPUT_MAX_BYTES)]" : c.text();
    }

    /** The JSONL event stream of {@code codex exec --json}. */
    static final class Events {
        long input;
        long cachedInput;
        long output;
        int turns;
        String lastAgentMessage;
        String error;
        String failedCommand;

        static Events parse(String stdout) {
            Events ev = new Events();
            stdout.lines().forEach(ev::accept);
            return ev;
        }

        synchronized void accept(String line) {
            String l = line.strip();
            if (!l.startsWith("{")) return;
            JsonNode n;
            try {
                n = JSON.readTree(l);
            } catch (IOException e) {
                return;
            }
            switch (n.path("type").asText()) {
                case "turn.completed" -> {
                    JsonNode u = n.path("usage");
                    input += u.path("input_tokens").asLong(0); // includes cached input
                    cachedInput += u.path("cached_input_tokens").asLong(0);
                    output += u.path("output_tokens").asLong(0);
                    turns++;
                }
                case "item.completed" -> {
                    JsonNode item = n.path("item");
                    String type = item.path("type").asText();
                    if ("agent_message".equals(type)) lastAgentMessage = item.path("text").asText();
                    if ("command_execution".equals(type) && failedCommand == null
                            && (item.path("exit_code").asInt(0) != 0 || "failed".equals(item.path("status").asText()))) {
                        failedCommand = "command `" + item.path("command").asText() + "` exited "
                                + item.path("exit_code").asText("?") + ": "
                                + EngineException.lastChars(item.path("aggregated_output").asText("").strip(), 500);
                    }
                }
                case "error" -> error = n.path("message").asText(null);
                case "turn.failed" -> error = n.path("error").path("message").asText(null);
                default -> { }
            }
        }
    }
}
