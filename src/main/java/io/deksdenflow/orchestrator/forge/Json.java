package io.deksdenflow.orchestrator.forge;

import com.fasterxml.jackson.databind.JsonNode;

/** Null-safe reads of webhook payloads: a missing, null, non-scalar or blank value is null. */
public final class Json {

    private Json() {
    }

    public static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (n == null || !n.isValueNode() || n.isNull()) {
            return null;
        }
        String s = n.asText();
        return s == null || s.isBlank() ? null : s;
    }

    public static boolean bool(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.asBoolean(false);
    }

    public static JsonNode at(JsonNode node, String... path) {
        JsonNode n = node;
        for (String p : path) {
            if (n == null || n.isNull() || n.isMissingNode()) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isMissingNode() || n.isNull() ? null : n;
    }

    public static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
