package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.project.Check;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** A declared check: {@code command} is a list of strings (argv) or one command line. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CheckSpec(String name,
                        @Schema(description = "argv as a list of strings, or one command line")
                        Object command,
                        Integer timeoutSeconds) {
    public Check.Spec spec() {
        return new Check.Spec(name, command, timeoutSeconds);
    }

    static List<Check.Spec> specs(List<CheckSpec> checks) {
        return checks == null ? null : checks.stream().map(c -> c == null ? null : c.spec()).toList();
    }
}
