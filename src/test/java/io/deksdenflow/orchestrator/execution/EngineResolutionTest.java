package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.engine.ClaudeEngine;
import io.deksdenflow.orchestrator.engine.CodexEngine;
import io.deksdenflow.orchestrator.engine.CommandEngine;
import io.deksdenflow.orchestrator.engine.EngineRegistry;
import io.deksdenflow.orchestrator.engine.EngineSettings;
import io.deksdenflow.orchestrator.engine.ProcessRunner;
import io.deksdenflow.orchestrator.project.Project;
import io.deksdenflow.orchestrator.project.ProjectStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStatus;
import io.deksdenflow.orchestrator.protocol.StepType;
import io.deksdenflow.orchestrator.testsupport.TestSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Engine per phase: step (exec) → protocol engines → protocol engine → project per phase → project → QA setting → setting. */
class EngineResolutionTest {
    private final TestSettings settings = new TestSettings();
    private EngineCalls calls() {
        EngineSettings engine = settings.engine();
        return new EngineCalls(engine, settings.budget(), settings.sandbox(), new EngineRegistry(List.of(
                new CodexEngine(engine, new ProcessRunner()), new ClaudeEngine(engine, new ProcessRunner()),
                new CommandEngine(engine, new ProcessRunner()))), null, null, null, null, null, null, null, null, null, null);
    }

    private static Project project(String engine, Map<String, String> perPhase) {
        return new Project(1, "p", "file:///r", "main", null, engine, Map.of(), Map.of(), null, ProjectStatus.values()[0],
                null, null, 0, 0, 0, null, null, perPhase);
    }

    private static ProtocolRun protocol(String engine, Map<String, String> perPhase) {
        return new ProtocolRun(1, 1, "0001-x", null, "main", engine, false, ProtocolStatus.values()[0], null, null, null,
                0, null, 0, null, 0, 0, 0, null, null, null, null, perPhase);
    }

    private static StepRun step(String engine) {
        return new StepRun(1, 1, 0, "01-x.md", StepType.values()[0], StepStatus.values()[0], engine, null, 0, null, null,
                null, null, null, null, null, null, 0, 0, 0);
    }

    @Test
    void eachLevelBeatsTheOnesAfterIt() {
        settings.setEngine("codex");
        settings.setQaEngine("command");
        EngineCalls calls = calls();
        Project bare = project(null, Map.of());
        ProtocolRun plain = protocol(null, Map.of());
        assertThat(calls.engineFor(bare, plain, null, "planning")).isEqualTo("codex");
        assertThat(calls.engineFor(bare, plain, step(null), "qa")).isEqualTo("command"); // DEKSDENFLOW_QA_ENGINE
        Project withDefault = project("claude", Map.of());
        assertThat(calls.engineFor(withDefault, plain, step(null), "qa")).isEqualTo("claude");
        Project perPhase = project("claude", Map.of("exec", "command"));
        assertThat(calls.engineFor(perPhase, plain, step(null), "exec")).isEqualTo("command");
        assertThat(calls.engineFor(perPhase, protocol("codex", Map.of()), step(null), "exec")).isEqualTo("codex");
        assertThat(calls.engineFor(perPhase, protocol("codex", Map.of("exec", "claude")), step(null), "exec"))
                .isEqualTo("claude");
        // the engine that executed a step keeps executing it; QA is chosen afresh
        ProtocolRun cross = protocol(null, Map.of("exec", "codex", "qa", "claude"));
        assertThat(calls.engineFor(bare, cross, step("codex"), "exec")).isEqualTo("codex");
        assertThat(calls.engineFor(bare, cross, step("codex"), "qa")).isEqualTo("claude");
    }

    @Test
    void aProjectsOwnEgressListReplacesTheSetting() {
        settings.setAgentEgress(" registry.npmjs.org, 127.0.0.1:11434 ,");
        assertThat(EngineCalls.egressFor(project(null, Map.of()), settings.sandbox().agentEgressEntries()))
                .containsExactly("registry.npmjs.org", "127.0.0.1:11434");
        assertThat(EngineCalls.egressFor(egress(List.of("pypi.org")), settings.sandbox().agentEgressEntries())).containsExactly("pypi.org");
        assertThat(EngineCalls.egressFor(egress(List.of()), settings.sandbox().agentEgressEntries())).isEmpty(); // the model API only
    }

    private static Project egress(List<String> entries) {
        return new Project(1, "p", "file:///r", "main", null, null, Map.of(), Map.of(), null, ProjectStatus.values()[0],
                null, null, 0, 0, 0, null, null, Map.of(), entries);
    }
}
