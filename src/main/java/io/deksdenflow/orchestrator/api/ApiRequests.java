package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.project.Budget;
import io.deksdenflow.orchestrator.project.Check;
import java.util.List;
import java.util.Map;

/** Request bodies as documented in the OpenAPI document (snake_case JSON). */
final class ApiRequests {
    private ApiRequests() {}

    record CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                         Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                         List<Check.Spec> checks, Budget budget, Map<String, String> defaultEngines) {}

    record CreateProtocol(String protocolName, String description, String baseBranch, String engine, Boolean autoAdvance,
                          List<Check.Spec> checks, Map<String, String> engines) {}

    /** {@code POST /protocols/{id}/actions/raise_budget}: the paused protocol's new limits (at least one). */
    record RaiseBudget(Long maxTokens, Double maxCostUsd) {}

    record CreateStep(Integer stepIndex, String stepName, String stepType) {}
}
