package io.deksdenflow.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.project.Budget;
import io.deksdenflow.orchestrator.project.Check;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON text columns (models, secrets, event metadata) are the same TEXT on both databases. */
final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECTS = new TypeReference<>() {};
    private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {};

    private JsonColumns() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON", e);
        }
    }

    /** null for null (a column that says "nothing declared"), else the JSON text. */
    static String writeNullable(Object value) {
        return value == null ? null : write(value);
    }

    /** A JSON list column of objects; null or blank is null. */
    static List<Map<String, Object>> list(String json) {
        if (json == null || json.isBlank()) return null;
        try {
            return MAPPER.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    static String writeChecks(List<Check> checks) {
        if (checks == null) return null;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Check c : checks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("command", c.command());
            m.put("timeout_seconds", c.timeoutSeconds());
            out.add(m);
        }
        return write(out);
    }

    @SuppressWarnings("unchecked")
    static List<Check> checks(String json) {
        List<Map<String, Object>> rows = list(json);
        if (rows == null) return null;
        return rows.stream().map(m -> new Check((String) m.get("name"), (List<String>) m.get("command"),
                ((Number) m.get("timeout_seconds")).intValue())).toList();
    }

    static String writeBudget(Budget b) {
        if (b == null || b.isEmpty()) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_tokens_per_step", b.maxTokensPerStep());
        m.put("max_tokens_per_protocol", b.maxTokensPerProtocol());
        m.put("max_cost_usd_per_step", b.maxCostUsdPerStep());
        m.put("max_cost_usd_per_protocol", b.maxCostUsdPerProtocol());
        m.put("max_cost_usd_per_project_month", b.maxCostUsdPerProjectMonth());
        return write(m);
    }

    static Budget budget(String json) {
        if (json == null || json.isBlank()) return Budget.NONE;
        Map<String, Object> m = objects(json);
        return new Budget(longOrNull(m.get("max_tokens_per_step")), longOrNull(m.get("max_tokens_per_protocol")),
                doubleOrNull(m.get("max_cost_usd_per_step")), doubleOrNull(m.get("max_cost_usd_per_protocol")),
                doubleOrNull(m.get("max_cost_usd_per_project_month")));
    }

    private static Long longOrNull(Object o) { return o == null ? null : ((Number) o).longValue(); }

    private static Double doubleOrNull(Object o) { return o == null ? null : ((Number) o).doubleValue(); }

    static Map<String, String> strings(String json) {
        return read(json, STRINGS);
    }

    static Map<String, Object> objects(String json) {
        return read(json, OBJECTS);
    }

    private static <T extends Map<String, ?>> T read(String json, TypeReference<T> type) {
        try {
            return MAPPER.readValue(json == null || json.isBlank() ? "{}" : json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }
}
