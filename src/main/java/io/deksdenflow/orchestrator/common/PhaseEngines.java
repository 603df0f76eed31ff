package io.deksdenflow.orchestrator.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Engines per phase ({@code {"planning": "codex", "exec": "codex", "qa": "claude"}}), as a project's
 * {@code default_engines} and a protocol's {@code engines}: every key optional, unknown keys and
 * engines are 422s naming the field.
 */
public final class PhaseEngines {
    public static final List<String> PHASES = List.of("planning", "exec", "qa");
    private PhaseEngines() {}

    /** {@code engines} is the names of the engines this process has ({@code EngineRegistry.names()}). */
    public static Map<String, String> require(String field, Map<String, String> in, Set<String> engines) {
        Map<String, String> out = new LinkedHashMap<>();
        if (in == null) return out;
        in.forEach((phase, engine) -> {
            if (!PHASES.contains(phase)) {
                throw new ValidationException(field + "." + phase, field + " keys are planning, exec, qa");
            }
            if (engine == null || engine.isBlank()) return;
            if (!engines.contains(engine.trim())) {
                throw new ValidationException(field + "." + phase, field + " values must be one of " + engines);
            }
            out.put(phase, engine.trim());
        });
        return out;
    }
}
