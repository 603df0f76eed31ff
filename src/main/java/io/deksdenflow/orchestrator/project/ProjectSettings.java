package io.deksdenflow.orchestrator.project;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;

/** The settings a project's owner may change after registration, by their API names, and what differs. */
final class ProjectSettings {
    private static final Map<String, Function<Project, Object>> FIELDS = fields();

    private ProjectSettings() {}

    private static Map<String, Function<Project, Object>> fields() {
        LinkedHashMap<String, Function<Project, Object>> m = new LinkedHashMap<>();
        m.put("base_branch", Project::baseBranch);
        m.put("ci_provider", Project::ciProvider);
        m.put("default_engine", Project::defaultEngine);
        m.put("default_models", Project::defaultModels);
        m.put("default_engines", Project::defaultEngines);
        m.put("secrets", Project::secrets);
        m.put("checks", Project::checks);
        m.put("budget", Project::budget);
        m.put("agent_egress", Project::agentEgress);
        m.put("intake", Project::intake);
        m.put("plan_approval", Project::planApproval);
        m.put("sync", Project::sync);
        return m;
    }

    /** The API names of the settings whose values differ, in a stable order. */
    static List<String> changed(Project before, Project after) {
        List<String> out = new ArrayList<>();
        FIELDS.forEach((name, get) -> {
            if (!Objects.equals(get.apply(before), get.apply(after))) out.add(name);
        });
        return out;
    }

    /** The secret names set, changed or removed (never a value), sorted. */
    static List<String> changedKeys(Map<String, String> beforeOrNull, Map<String, String> afterOrNull) {
        Map<String, String> before = beforeOrNull == null ? Map.of() : beforeOrNull;
        Map<String, String> after = afterOrNull == null ? Map.of() : afterOrNull;
        TreeSet<String> keys = new TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        keys.removeIf(k -> Objects.equals(before.get(k), after.get(k)));
        return List.copyOf(keys);
    }
}
