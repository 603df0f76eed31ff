package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.common.UnauthorizedException;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Maps a failure to the HTTP status and the JSON error body every endpoint uses. */
public record ApiError(int status, String code, String message, Map<String, Object> extra) {

    /** Client errors that are not domain exceptions (bad JSON, oversized body, unknown route). */
    public static class ClientError extends RuntimeException {
        private final int status;
        private final String code;

        public ClientError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    public static ApiError of(Throwable t) {
        if (t instanceof ClientError c) return new ApiError(c.status, c.code, c.getMessage(), Map.of());
        if (t instanceof ValidationException v) return new ApiError(422, "validation_failed", v.getMessage(), Map.of("field", v.field()));
        if (t instanceof NotFoundException) return new ApiError(404, "not_found", t.getMessage(), Map.of());
        if (t instanceof ConflictException c) return new ApiError(409, "conflict", c.getMessage(), c.details().isEmpty() ? Map.of() : Map.of("details", c.details()));
        if (t instanceof UnauthorizedException) return new ApiError(401, "unauthorized", t.getMessage(), Map.of());
        return new ApiError(500, "internal", "internal error", Map.of());
    }

    public Map<String, Object> body(String requestId) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("request_id", requestId);
        error.putAll(extra);
        return Map.of("error", error);
    }
}
