package io.deksdenflow.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deksdenflow.orchestrator.http.ApiError;
import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Request input the REST binding does not cover: the bound body (absent → 400), path ids (a bad one
 * is a 404), list limits and cursors (422 naming the parameter). Malformed or wrongly typed JSON is
 * mapped by {@link ApiError#of}.
 */
final class ApiInput {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    /** As the REST binding's request mapper (ApiRoutes): unknown fields, nulls for primitives, coerced scalars refused. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ApiInput() {}

    /** The body the REST DSL bound to {@code type}; anything else (no body, JSON null) is a 400. */
    static <T> T body(Object body, Class<T> type) {
        if (type.isInstance(body)) return type.cast(body);
        throw new ApiError.ClientError(400, "bad_request", "a JSON object body is required");
    }

    /**
     * A request body read here rather than by the REST binding (a PATCH, whose absent and null fields
     * differ), as strictly as the binding reads: the JSON object, or a 400; then {@link #fields}.
     */
    static ObjectNode object(String body) {
        if (body == null || body.isBlank()) throw new ApiError.ClientError(400, "bad_request", "a JSON object body is required");
        try {
            JsonNode node = STRICT.readTree(body);
            if (node instanceof ObjectNode o) return o;
        } catch (JsonProcessingException e) {
            throw new ApiError.ClientError(400, "bad_request", "malformed JSON: " + e.getOriginalMessage());
        }
        throw new ApiError.ClientError(400, "bad_request", "the JSON body must be an object");
    }

    /** {@code node} as {@code type}: an unknown field or a wrongly typed value is a 422 naming it (ApiError). */
    static <T> T fields(ObjectNode node, Class<T> type) throws JsonProcessingException {
        return STRICT.treeToValue(node, type);
    }

    /** The names of the fields {@code node} carries. */
    static Set<String> given(ObjectNode node) {
        Set<String> out = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Path ids: anything but a positive integer names no entity, so it is a 404. */
    static long id(String what, String raw) {
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException | NullPointerException ignored) {
            // fall through
        }
        throw new NotFoundException(what, raw);
    }

    static int limit(String raw) {
        if (raw == null || raw.isBlank()) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new ValidationException("limit", "limit must be an integer from 1 to " + MAX_LIMIT);
    }

    static Long cursor(String field, String raw) {
        if (raw == null || raw.isBlank()) return null;
        try {
            long n = Long.parseLong(raw.trim());
            if (n >= 0) return n;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new ValidationException(field, field + " must be a non-negative integer id");
    }

    static Long optionalId(String field, String raw) {
        if (raw == null || raw.isBlank()) return null;
        try {
            long n = Long.parseLong(raw.trim());
            if (n > 0) return n;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new ValidationException(field, field + " must be a positive integer id");
    }
}
