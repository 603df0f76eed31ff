package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import io.deksdenflow.orchestrator.project.ProjectService;
import java.util.List;
import java.util.Map;

/** {@code POST /projects}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                            Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                            List<CheckSpec> checks, BudgetSpec budget, Map<String, String> defaultEngines,
                            List<String> agentEgress, IntakeSpec intake,
                            @Schema(description = "required: a person approves each plan before any step runs; auto (default)",
                                    allowableValues = {"required", "auto"}) String planApproval,
                            List<ChannelSpec> notifications,
                            @Schema(description = "how protocol branches take in a moved base branch: merge (default), rebase or off",
                                    allowableValues = {"merge", "rebase", "off"}) String sync) {
    public ProjectService.CreateProject command() {
        return new ProjectService.CreateProject(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels,
                secrets, projectToken, CheckSpec.specs(checks), budget == null ? null : budget.budget(),
                defaultEngines, agentEgress, IntakeSpec.spec(intake), planApproval, sync);
    }
}
