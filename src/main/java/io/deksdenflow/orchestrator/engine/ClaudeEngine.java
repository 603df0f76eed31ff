package io.deksdenflow.orchestrator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Claude Code: {@code claude -p --output-format json [--model M] --permission-mode default|acceptEdits
 * --tools LIST --allowedTools LIST [--json-schema SCHEMA]}, run in the work directory, prompt on
 * stdin. {@code --tools} offers exactly the phase's tools (read-only phases: Read, Grep, Glob; exec
 * adds Edit, Write and Bash); with an output schema (planning) the answer is Claude's
 * {@code structured_output}, checked against the schema by Claude itself.
 */
@Component
public class ClaudeEngine implements Engine {
    static final String BIN_SETTING = "DEKSDENFLOW_CLAUDE_BIN";
    static final String READ_TOOLS = "Read,Grep,Glob";
    static final String WRITE_TOOLS = "Read,Grep,Glob,Edit,Write,Bash";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineSettings settings;
    private final ProcessRunner runner;
    private final AgentSandbox sandbox;

    public ClaudeEngine(EngineSettings settings, ProcessRunner runner) {
        this(settings, runner, AgentSandbox.none());
    }

    @org.springframework.beans.factory.annotation.Autowired
    public ClaudeEngine(EngineSettings settings, ProcessRunner runner, AgentSandbox sandbox) {
        this.settings = settings;
        this.runner = runner;
        this.sandbox = sandbox;
    }

    @Override
    public String name() { return "claude"; }

    List<String> argv(EngineRequest r) {
        List<String> a = new ArrayList<>(List.of(settings.claudeBin(), "-p", "--output-format", "json"));
        if (r.hasModel()) a.addAll(List.of("--model", r.model()));
        String tools = r.readOnly() ? READ_TOOLS : WRITE_TOOLS;
        a.addAll(List.of("--permission-mode", r.readOnly() ? "default" : "acceptEdits",
                "--tools", tools, "--allowedTools", tools));
        if (r.outputSchema() != null) a.addAll(List.of("--json-schema", schema(r.outputSchema())));
        return a;
    }

    @Override
    public EngineResult run(EngineRequest r, CancelHandle cancel) {
        ProcessResult p = EngineSupport.run(sandbox, runner, name(), r,
                EngineSupport.spec(settings, r, argv(r), r.prompt(), cancel, BIN_SETTING), null);
        JsonNode out = parse(p.stdout());
        String resultText = out == null ? null : out.path("result").asText(null);
        Integer apiStatus = out == null || !out.path("api_error_status").canConvertToInt() ? null
                : out.path("api_error_status").asInt();
        EngineSupport.check(name(), p, resultText, apiStatus);
        if (out == null) {
            throw new EngineException(name(), p.exitCode(), false, "output is not a JSON object", p.stderrTail());
        }
        if (out.path("is_error").asBoolean(false)) {
            throw EngineSupport.failure(name(), p,
                    "is_error: " + (resultText == null ? out.path("subtype").asText("") : resultText), apiStatus);
        }
        if (out.path("structured_output").isContainerNode()) resultText = out.get("structured_output").toString();
        String toolFailure = null;
        JsonNode denials = out.path("permission_denials");
        if (denials.isArray() && !denials.isEmpty()) {
            toolFailure = "tool call denied: " + EngineException.lastChars(denials.toString(), 500);
        }
        Double cost = out.hasNonNull("total_cost_usd") ? out.get("total_cost_usd").asDouble() : null;
        JsonNode u = out.path("usage");
        if (!u.isObject()) {
            return new EngineResult(0, nz(resultText), Engine.estimateTokens(r.prompt()), 0, false, cost, p.duration(),
                    0, toolFailure);
        }
        long in = u.path("input_tokens").asLong(0)
                + u.path("cache_creation_input_tokens").asLong(0)
                + u.path("cache_read_input_tokens").asLong(0);
        return new EngineResult(0, nz(resultText), in, u.path("output_tokens").asLong(0), true, cost, p.duration(),
                u.path("cache_read_input_tokens").asLong(0), toolFailure);
    }

    /** The schema's text, compacted to one line for the command line. */
    private static String schema(java.nio.file.Path file) {
        try {
            return JSON.readTree(java.nio.file.Files.readString(file)).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
