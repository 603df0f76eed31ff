package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.protocol.ProtocolService;
import java.util.List;
import java.util.Map;

/** {@code POST /projects/{id}/protocols}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateProtocol(String protocolName, String description, String baseBranch, String engine,
                             Boolean autoAdvance, List<CheckSpec> checks, Map<String, String> engines) {
    public ProtocolService.CreateProtocol command() {
        return new ProtocolService.CreateProtocol(protocolName, description, baseBranch, engine, autoAdvance,
                CheckSpec.specs(checks), engines);
    }
}
