package io.deksdenflow.orchestrator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON text columns (models, secrets, event metadata) are the same TEXT on both databases. */
public final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECTS = new TypeReference<>() {};
    private static final TypeReference<List<Map<String, Object>>> LIST = new TypeReference<>() {};

    private JsonColumns() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value == null ? Map.of() : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serializable as JSON", e);
        }
    }

    /** null for null (a column that says "nothing declared"), else the JSON text. */
    public static String writeNullable(Object value) {
        return value == null ? null : write(value);
    }

    /** A JSON list of strings. */
    public static List<String> stringList(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    /** A JSON list column of objects; null or blank is null. */
    public static List<Map<String, Object>> list(String json) {
        if (json == null || json.isBlank()) return null;
        try {
            return MAPPER.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    public static Map<String, String> strings(String json) {
        return read(json, STRINGS);
    }

    public static Map<String, Object> objects(String json) {
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
