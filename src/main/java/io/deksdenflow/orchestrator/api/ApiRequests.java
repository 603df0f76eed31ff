package io.deksdenflow.orchestrator.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.deksdenflow.orchestrator.project.Budget;
import io.deksdenflow.orchestrator.project.Check;
import io.deksdenflow.orchestrator.project.ProjectService;
import io.deksdenflow.orchestrator.protocol.ProtocolService;
import io.deksdenflow.orchestrator.protocol.StepService;
import java.util.List;
import java.util.Map;

/**
 * Request bodies (snake_case JSON), bound by the REST DSL and documented in the OpenAPI document.
 * Unknown fields are refused (422 naming the field), as are values of the wrong type.
 */
public final class ApiRequests {
    private ApiRequests() {}

    /** A declared check: {@code command} is a list of strings (argv) or one command line. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CheckSpec(String name, Object command, Integer timeoutSeconds) {
        Check.Spec spec() {
            return new Check.Spec(name, command, timeoutSeconds);
        }

        static List<Check.Spec> specs(List<CheckSpec> checks) {
            return checks == null ? null : checks.stream().map(c -> c == null ? null : c.spec()).toList();
        }
    }

    /** A project's budget limits; each optional, 0 = no limit. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record BudgetSpec(Long maxTokensPerStep, Long maxTokensPerProtocol, Double maxCostUsdPerStep,
                             Double maxCostUsdPerProtocol, Double maxCostUsdPerProjectMonth) {
        Budget budget() {
            return new Budget(maxTokensPerStep, maxTokensPerProtocol, maxCostUsdPerStep, maxCostUsdPerProtocol,
                    maxCostUsdPerProjectMonth);
        }
    }

    /** {@code POST /projects}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                                Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                                List<CheckSpec> checks, BudgetSpec budget, Map<String, String> defaultEngines) {
        ProjectService.CreateProject command() {
            return new ProjectService.CreateProject(name, gitUrl, baseBranch, ciProvider, defaultEngine, defaultModels,
                    secrets, projectToken, CheckSpec.specs(checks), budget == null ? null : budget.budget(),
                    defaultEngines);
        }
    }

    /** {@code POST /projects/{id}/protocols}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CreateProtocol(String protocolName, String description, String baseBranch, String engine,
                                 Boolean autoAdvance, List<CheckSpec> checks, Map<String, String> engines) {
        ProtocolService.CreateProtocol command() {
            return new ProtocolService.CreateProtocol(protocolName, description, baseBranch, engine, autoAdvance,
                    CheckSpec.specs(checks), engines);
        }
    }

    /** {@code POST /protocols/{id}/actions/raise_budget}: the paused protocol's new limits (at least one). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RaiseBudget(Long maxTokens, Double maxCostUsd) {}

    /** {@code POST /protocols/{id}/steps}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CreateStep(Integer stepIndex, String stepName, String stepType) {
        StepService.CreateStep command() {
            return new StepService.CreateStep(stepIndex, stepName, stepType);
        }
    }
}
