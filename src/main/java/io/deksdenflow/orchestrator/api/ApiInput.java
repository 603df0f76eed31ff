package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.http.ApiError;
import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.common.ValidationException;

/**
 * Request input the REST binding does not cover: the bound body (absent → 400), path ids (a bad one
 * is a 404), list limits and cursors (422 naming the parameter). Malformed or wrongly typed JSON is
 * mapped by {@link ApiError#of}.
 */
final class ApiInput {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private ApiInput() {}

    /** The body the REST DSL bound to {@code type}; anything else (no body, JSON null) is a 400. */
    static <T> T body(Object body, Class<T> type) {
        if (type.isInstance(body)) return type.cast(body);
        throw new ApiError.ClientError(400, "bad_request", "a JSON object body is required");
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
