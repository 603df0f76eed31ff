package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.store.JsonColumns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON columns of the project's own types: check commands (projects and protocols) and budgets. */
public final class ProjectColumns {
    private ProjectColumns() {}

    public static String writeChecks(List<Check> checks) {
        if (checks == null) return null;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Check c : checks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("command", c.command());
            m.put("timeout_seconds", c.timeoutSeconds());
            out.add(m);
        }
        return JsonColumns.write(out);
    }

    @SuppressWarnings("unchecked")
    /** The agents' allow-list: a JSON list of strings; null (none of its own) for null. */
    static List<String> egress(String json) {
        if (json == null || json.isBlank()) return null;
        return JsonColumns.stringList(json);
    }

    public static List<Check> checks(String json) {
        List<Map<String, Object>> rows = JsonColumns.list(json);
        if (rows == null) return null;
        return rows.stream().map(m -> new Check((String) m.get("name"), (List<String>) m.get("command"),
                ((Number) m.get("timeout_seconds")).intValue())).toList();
    }

    /** A project's intake as {label, auto_start, engines, checks}; null for none. */
    static String writeIntake(Intake in) {
        if (in == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", in.label());
        m.put("auto_start", in.autoStart());
        m.put("engines", in.engines());
        m.put("checks", in.checks() == null ? null : JsonColumns.list(writeChecks(in.checks())));
        return JsonColumns.write(m);
    }

    @SuppressWarnings("unchecked")
    static Intake intake(String json) {
        if (json == null || json.isBlank()) return null;
        Map<String, Object> m = JsonColumns.objects(json);
        Object checks = m.get("checks");
        return new Intake((String) m.get("label"), Boolean.TRUE.equals(m.get("auto_start")),
                (Map<String, String>) m.get("engines"), checks == null ? null : checks(JsonColumns.write(checks)));
    }

    static String writeBudget(Budget b) {
        if (b == null || b.isEmpty()) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_tokens_per_step", b.maxTokensPerStep());
        m.put("max_tokens_per_protocol", b.maxTokensPerProtocol());
        m.put("max_cost_usd_per_step", b.maxCostUsdPerStep());
        m.put("max_cost_usd_per_protocol", b.maxCostUsdPerProtocol());
        m.put("max_cost_usd_per_project_month", b.maxCostUsdPerProjectMonth());
        return JsonColumns.write(m);
    }

    static Budget budget(String json) {
        if (json == null || json.isBlank()) return Budget.NONE;
        Map<String, Object> m = JsonColumns.objects(json);
        return new Budget(longOrNull(m.get("max_tokens_per_step")), longOrNull(m.get("max_tokens_per_protocol")),
                doubleOrNull(m.get("max_cost_usd_per_step")), doubleOrNull(m.get("max_cost_usd_per_protocol")),
                doubleOrNull(m.get("max_cost_usd_per_project_month")));
    }

    private static Long longOrNull(Object o) { return o == null ? null : ((Number) o).longValue(); }

    private static Double doubleOrNull(Object o) { return o == null ? null : ((Number) o).doubleValue(); }
}
