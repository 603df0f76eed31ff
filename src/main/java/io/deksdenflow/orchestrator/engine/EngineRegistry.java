package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** All {@link Engine} beans by name. */
@Component
public class EngineRegistry {
    private final Map<String, Engine> engines = new TreeMap<>();

    public EngineRegistry(List<Engine> engines) {
        for (Engine e : engines) {
            if (this.engines.putIfAbsent(e.name(), e) != null) {
                throw new IllegalStateException("two engines named " + e.name());
            }
        }
    }

    /** The engine called {@code name}; unknown → 422 on field "engine". */
    public Engine get(String name) {
        Engine e = name == null ? null : engines.get(name);
        if (e == null) {
            throw new ValidationException("engine", "unknown engine '" + name + "', expected one of " + names());
        }
        return e;
    }

    /** Validates a name without returning the engine (for API input). */
    public String requireKnown(String name) {
        return get(name).name();
    }

    public Set<String> names() { return engines.keySet(); }
}
