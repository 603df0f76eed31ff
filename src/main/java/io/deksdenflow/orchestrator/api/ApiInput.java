package io.deksdenflow.orchestrator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.stream.Collectors;

/** Request parsing: malformed JSON is a 400, a wrong field a 422 naming it, a bad id a 404. */
final class ApiInput {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);

    private ApiInput() {}

    static <T> T json(String body, Class<T> type) {
        if (body == null || body.isBlank()) throw new ApiError.ClientError(400, "bad_request", "a JSON body is required");
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) throw new ApiError.ClientError(400, "bad_request", "the JSON body must be an object");
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new ValidationException(field.isEmpty() ? e.getPropertyName() : field,
                    "unknown field '" + e.getPropertyName() + "'");
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) throw new ApiError.ClientError(400, "bad_request", "the JSON body must be an object");
            throw new ValidationException(field, "field '" + field + "' has the wrong type");
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new ValidationException(field.isEmpty() ? "body" : field, "invalid value for '" + field + "'");
        } catch (JsonProcessingException e) {
            throw new ApiError.ClientError(400, "bad_request", "malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** The field's path, as in {@code checks[0].command}. */
    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
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
