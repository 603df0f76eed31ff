package io.deksdenflow.orchestrator.api.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * A project. {@code notifications}: its own notification channels (null: DEKSDENFLOW_NOTIFICATIONS applies), shown
 * without URLs and secrets. {@code intake}: how it takes work from its forge's issues (null: it takes none). {@code agent_egress}: what its agents may reach on the network besides their model API
 * (null: DEKSDENFLOW_AGENT_EGRESS). {@code usage}: its spend (tokens, cost in total and this month); {@code job} only in
 * the answer to {@code POST /projects}; {@code local_path} only when DEKSDENFLOW_EXPOSE_PATHS=true.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(requiredProperties = {"id", "name", "git_url", "status", "has_project_token", "created_at"})
public record ProjectView(long id, String name, String gitUrl, String baseBranch, String ciProvider,
                          String defaultEngine, Map<String, String> defaultModels,
                          Map<String, String> defaultEngines, List<String> agentEgress, String status, List<String> secretKeys,
                          boolean hasProjectToken, List<CheckView> checks, BudgetView budget, IntakeView intake,
                          @Schema(description = "required or auto", allowableValues = {"required", "auto"}) String planApproval,
                          List<ChannelView> notifications,
                          @Schema(description = "merge, rebase or off", allowableValues = {"merge", "rebase", "off"}) String sync,
                          @JsonSerialize(using = HidePaths.class) String lastError,
                          String createdAt, String updatedAt, Map<String, Object> usage,
                          @JsonInclude(JsonInclude.Include.NON_NULL) JobView job,
                          @JsonAnyGetter Map<String, Object> paths) implements ProjectListItem {
    public ProjectView withJob(JobView j) {
        return new ProjectView(id, name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels,
                defaultEngines, agentEgress, status, secretKeys, hasProjectToken, checks, budget, intake, planApproval, notifications, sync,
                lastError, createdAt,
                updatedAt, usage, j, paths);
    }
}
