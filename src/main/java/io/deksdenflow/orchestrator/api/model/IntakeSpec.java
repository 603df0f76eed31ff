package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.project.Intake;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * A project's intake: issues carrying {@code label} (1 to 50 characters) become protocols, started at
 * once when {@code auto_start}; {@code engines} (as default_engines) and {@code checks} (as checks) are theirs.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"label"})
public record IntakeSpec(String label, Boolean autoStart, Map<String, String> engines, List<CheckSpec> checks) {
    Intake.Spec spec() {
        return new Intake.Spec(label, autoStart, engines, CheckSpec.specs(checks));
    }

    static Intake.Spec spec(IntakeSpec in) {
        return in == null ? null : in.spec();
    }
}
