package io.deksdenflow.orchestrator.api;

import java.util.Map;

/** Request bodies as documented in the OpenAPI document (snake_case JSON). */
final class ApiRequests {
    private ApiRequests() {}

    record CreateProject(String name, String gitUrl, String baseBranch, String ciProvider, String defaultEngine,
                         Map<String, String> defaultModels, Map<String, String> secrets, String projectToken,
                         Map<String, String> defaultEngines) {}

    record CreateProtocol(String protocolName, String description, String baseBranch, String engine, Boolean autoAdvance,
                          Map<String, String> engines) {}

    record CreateStep(Integer stepIndex, String stepName, String stepType) {}
}
