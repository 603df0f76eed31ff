package io.deksdenflow.orchestrator.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Any agent: {@code DEKSDENFLOW_ENGINE_COMMAND} with {@code {prompt_file}}, {@code {workdir}},
 * {@code {model}} and {@code {phase}} placeholders, run in the work directory. The prompt is also
 * on stdin; stdout is the answer; usage is not reported (estimated from the prompt).
 */
@Component
public class CommandEngine implements Engine {
    static final String SETTING = "DEKSDENFLOW_ENGINE_COMMAND";

    private final EngineSettings settings;
    private final ProcessRunner runner;
    private final AgentSandbox sandbox;

    public CommandEngine(EngineSettings settings, ProcessRunner runner) {
        this(settings, runner, AgentSandbox.none());
    }

    @org.springframework.beans.factory.annotation.Autowired
    public CommandEngine(EngineSettings settings, ProcessRunner runner, AgentSandbox sandbox) {
        this.settings = settings;
        this.runner = runner;
        this.sandbox = sandbox;
    }

    @Override
    public String name() { return "command"; }

    List<String> argv(EngineRequest r, Path promptFile) {
        return CommandTemplate.parse(settings.engineCommand()).render(Map.of(
                "prompt_file", promptFile.toString(),
                "workdir", r.workdir().toString(),
                "model", r.model(),
                "phase", r.phase()));
    }

    @Override
    public EngineResult run(EngineRequest r, CancelHandle cancel) {
        Path scratch = EngineSupport.scratch();
        try {
            Path promptFile = scratch.resolve("prompt.md");
            Files.writeString(promptFile, r.prompt(), StandardCharsets.UTF_8);
            List<String> argv = argv(r, promptFile);
            if (argv.isEmpty() || argv.get(0).isBlank()) {
                throw new MissingBinaryException("", SETTING, null);
            }
            ProcessResult p = EngineSupport.run(sandbox, runner, name(), r,
                    EngineSupport.spec(settings, r, argv, r.prompt(), cancel, SETTING), scratch);
            EngineSupport.check(name(), p, null);
            return new EngineResult(0, p.stdout(), Engine.estimateTokens(r.prompt()), 0, false, null, p.duration());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            EngineSupport.deleteTree(scratch);
        }
    }
}
