package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * The engines: the default one (DEKSDENFLOW_ENGINE) and the QA one (DEKSDENFLOW_QA_ENGINE), their
 * binaries (DEKSDENFLOW_CODEX_BIN, _CLAUDE_BIN) or command template (DEKSDENFLOW_ENGINE_COMMAND), one
 * run's time-out (DEKSDENFLOW_ENGINE_TIMEOUT), the most read of a file an agent wrote
 * (DEKSDENFLOW_AGENT_OUTPUT_MAX_BYTES) and the default models per phase (DEKSDENFLOW_PLANNING_MODEL,
 * _EXEC_MODEL, _QA_MODEL; application.yml falls back to the older PROTOCOL_*_MODEL names).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record EngineSettings(
        @DefaultValue("codex") String engine,
        @DefaultValue("") String qaEngine,
        @DefaultValue("codex") String codexBin,
        @DefaultValue("claude") String claudeBin,
        @DefaultValue("") String engineCommand,
        @DefaultValue("3600") @DurationUnit(ChronoUnit.SECONDS) Duration engineTimeout,
        @DefaultValue("1048576") long agentOutputMaxBytes,
        @DefaultValue("") String planningModel,
        @DefaultValue("") String execModel,
        @DefaultValue("") String qaModel) {

    public EngineSettings {
        if (engine == null || engine.isBlank()) {
            throw new IllegalArgumentException("DEKSDENFLOW_ENGINE must name an engine (codex, claude or command), not be empty");
        }
        qaEngine = SettingsChecks.orEmpty(qaEngine).trim();
        codexBin = SettingsChecks.orEmpty(codexBin);
        claudeBin = SettingsChecks.orEmpty(claudeBin);
        engineCommand = SettingsChecks.orEmpty(engineCommand);
        SettingsChecks.positive("DEKSDENFLOW_ENGINE_TIMEOUT", engineTimeout);
        SettingsChecks.atLeast("DEKSDENFLOW_AGENT_OUTPUT_MAX_BYTES", agentOutputMaxBytes, 1);
        planningModel = SettingsChecks.orEmpty(planningModel);
        execModel = SettingsChecks.orEmpty(execModel);
        qaModel = SettingsChecks.orEmpty(qaModel);
    }

    public static EngineSettings defaults() { return SettingsBinding.defaults(EngineSettings.class); }

    public EngineSettings withEngine(String v) {
        return new EngineSettings(v, qaEngine, codexBin, claudeBin, engineCommand, engineTimeout, agentOutputMaxBytes,
                planningModel, execModel, qaModel);
    }

    public EngineSettings withQaEngine(String v) {
        return new EngineSettings(engine, v, codexBin, claudeBin, engineCommand, engineTimeout, agentOutputMaxBytes,
                planningModel, execModel, qaModel);
    }

    public EngineSettings withCodexBin(String v) {
        return new EngineSettings(engine, qaEngine, v, claudeBin, engineCommand, engineTimeout, agentOutputMaxBytes,
                planningModel, execModel, qaModel);
    }

    public EngineSettings withClaudeBin(String v) {
        return new EngineSettings(engine, qaEngine, codexBin, v, engineCommand, engineTimeout, agentOutputMaxBytes,
                planningModel, execModel, qaModel);
    }

    public EngineSettings withEngineCommand(String v) {
        return new EngineSettings(engine, qaEngine, codexBin, claudeBin, v, engineTimeout, agentOutputMaxBytes,
                planningModel, execModel, qaModel);
    }

    public EngineSettings withEngineTimeout(Duration v) {
        return new EngineSettings(engine, qaEngine, codexBin, claudeBin, engineCommand, v, agentOutputMaxBytes,
                planningModel, execModel, qaModel);
    }

    public EngineSettings withAgentOutputMaxBytes(long v) {
        return new EngineSettings(engine, qaEngine, codexBin, claudeBin, engineCommand, engineTimeout, v,
                planningModel, execModel, qaModel);
    }
}
