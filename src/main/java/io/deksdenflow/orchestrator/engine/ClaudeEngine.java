package io.deksdenflow.orchestrator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.config.Settings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Claude Code: {@code claude -p --output-format json [--model M] --permission-mode ...
 * --allowedTools ...}, run in the work directory, prompt on stdin. Read-only phases may only read;
 * write phases accept edits and may run commands (git, tests).
 */
@Component
public class ClaudeEngine implements Engine {
    static final String BIN_SETTING = "DEKSDENFLOW_CLAUDE_BIN";
    static final String READ_TOOLS = "Read,Grep,Glob,LS";
    static final String WRITE_TOOLS = "Read,Grep,Glob,LS,Edit,MultiEdit,Write,Bash";
    static final String DENY_IN_READ_ONLY = "Edit,MultiEdit,Write,NotebookEdit,Bash";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final ProcessRunner runner;
    private final AgentSandbox sandbox;

    public ClaudeEngine(Settings settings, ProcessRunner runner) {
        this(settings, runner, AgentSandbox.none());
    }

    @org.springframework.beans.factory.annotation.Autowired
    public ClaudeEngine(Settings settings, ProcessRunner runner, AgentSandbox sandbox) {
        this.settings = settings;
        this.runner = runner;
        this.sandbox = sandbox;
    }

    @Override
    public String name() { return "claude"; }

    List<String> argv(EngineRequest r) {
        List<String> a = new ArrayList<>(List.of(settings.getClaudeBin(), "-p", "--output-format", "json"));
        if (r.hasModel()) a.addAll(List.of("--model", r.model()));
        if (r.readOnly()) {
            a.addAll(List.of("--permission-mode", "default", "--allowedTools", READ_TOOLS,
                    "--disallowedTools", DENY_IN_READ_ONLY));
        } else {
            a.addAll(List.of("--permission-mode", "acceptEdits", "--allowedTools", WRITE_TOOLS));
        }
        return a;
    }

    @Override
    public EngineResult run(EngineRequest r, CancelHandle cancel) {
        ProcessResult p = runner.run(EngineSupport.spec(settings, sandbox, r, argv(r), r.prompt(), cancel, BIN_SETTING, null));
        JsonNode out = parse(p.stdout());
        String resultText = out == null ? null : out.path("result").asText(null);
        EngineSupport.check(name(), p, resultText);
        if (out == null) {
            throw new EngineException(name(), p.exitCode(), false, "output is not a JSON object", p.stderrTail());
        }
        if (out.path("is_error").asBoolean(false)) {
            throw new EngineException(name(), p.exitCode(), false,
                    "is_error: " + (resultText == null ? out.path("subtype").asText("") : resultText), p.stderrTail());
        }
        Double cost = out.hasNonNull("total_cost_usd") ? out.get("total_cost_usd").asDouble() : null;
        JsonNode u = out.path("usage");
        if (!u.isObject()) {
            return new EngineResult(0, nz(resultText), Engine.estimateTokens(r.prompt()), 0, false, cost, p.duration());
        }
        long in = u.path("input_tokens").asLong(0)
                + u.path("cache_creation_input_tokens").asLong(0)
                + u.path("cache_read_input_tokens").asLong(0);
        return new EngineResult(0, nz(resultText), in, u.path("output_tokens").asLong(0), true, cost, p.duration(),
                u.path("cache_read_input_tokens").asLong(0));
    }

    private static String nz(String s) { return s == null ? "" : s; }

    /** The single JSON object; tolerates log lines before it by taking the last line that parses. */
    static JsonNode parse(String stdout) {
        String s = stdout.strip();
        try {
            JsonNode n = JSON.readTree(s);
            if (n != null && n.isObject()) return n;
        } catch (IOException ignored) {
            // fall through to line-wise search
        }
        String[] lines = s.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (!l.startsWith("{")) continue;
            try {
                JsonNode n = JSON.readTree(l);
                if (n.isObject()) return n;
            } catch (IOException ignored) {
                // keep looking
            }
        }
        return null;
    }
}
