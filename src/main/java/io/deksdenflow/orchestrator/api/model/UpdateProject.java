package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.project.ProjectService;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code PATCH /projects/{id}}: only the fields given change (null clears one; base_branch cannot be
 * cleared); any other field is a 422. {@code secrets} merges: a key with a value sets that secret, a
 * key with null removes it, keys not named stay.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpdateProject(String baseBranch, String ciProvider, String defaultEngine,
                            Map<String, String> defaultModels, Map<String, String> defaultEngines,
                            @Schema(description = "merged: a key with a string sets that secret, a key with null removes it")
                            Map<String, String> secrets,
                            List<CheckSpec> checks, BudgetSpec budget, List<String> agentEgress, IntakeSpec intake,
                            @Schema(description = "required or auto; null: auto", allowableValues = {"required", "auto"})
                            String planApproval,
                            @Schema(description = "the project's notification channels (replaces the list; null: back to DEKSDENFLOW_NOTIFICATIONS)")
                            List<ChannelSpec> notifications,
                            @Schema(description = "merge, rebase or off; null: merge", allowableValues = {"merge", "rebase", "off"})
                            String sync) {
    /** {@code given}: the names of the fields the request carried. */
    public ProjectService.UpdateProject command(Set<String> given) {
        return new ProjectService.UpdateProject(given, baseBranch, ciProvider, defaultEngine, defaultModels,
                defaultEngines, secrets, CheckSpec.specs(checks), budget == null ? null : budget.budget(), agentEgress,
                IntakeSpec.spec(intake), planApproval, sync);
    }
}
