package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import io.deksdenflow.orchestrator.protocol.ProtocolService;
import java.util.List;
import java.util.Map;

/** {@code POST /projects/{id}/protocols}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateProtocol(String protocolName, String description, String baseBranch, String engine,
                             Boolean autoAdvance, List<CheckSpec> checks, Map<String, String> engines,
                             @Schema(description = "required: a person approves the plan before any step runs; auto; null: the project's",
                                     allowableValues = {"required", "auto"}) String planApproval) {
    public ProtocolService.CreateProtocol command() {
        return new ProtocolService.CreateProtocol(protocolName, description, baseBranch, engine, autoAdvance,
                CheckSpec.specs(checks), engines, planApproval);
    }
}
