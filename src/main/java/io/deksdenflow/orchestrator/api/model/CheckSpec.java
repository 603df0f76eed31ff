package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.project.Check;
import java.util.List;

/** A declared check: {@code command} is a list of strings (argv) or one command line. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CheckSpec(String name, Object command, Integer timeoutSeconds) {
    public Check.Spec spec() {
        return new Check.Spec(name, command, timeoutSeconds);
    }

    static List<Check.Spec> specs(List<CheckSpec> checks) {
        return checks == null ? null : checks.stream().map(c -> c == null ? null : c.spec()).toList();
    }
}
