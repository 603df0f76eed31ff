package io.deksdenflow.orchestrator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.deksdenflow.orchestrator.common.ConflictException;
import io.deksdenflow.orchestrator.common.NotFoundException;
import io.deksdenflow.orchestrator.common.UnauthorizedException;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Maps a failure to the HTTP status and the JSON error body every endpoint uses. The REST binding's
 * own failures are mapped too: malformed JSON (or a body that is not an object) is a 400, an unknown
 * field or a value of the wrong type a 422 naming the field (as in {@code checks[0].command}).
 */
public record ApiError(int status, String code, String message, String field, Map<String, Object> details) {

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
        if (t instanceof ClientError c) return new ApiError(c.status, c.code, c.getMessage(), null, null);
        if (t instanceof ValidationException v) return validation(v.field(), v.getMessage());
        if (t instanceof NotFoundException) return new ApiError(404, "not_found", t.getMessage(), null, null);
        if (t instanceof ConflictException c) {
            return new ApiError(409, "conflict", c.getMessage(), null, c.details().isEmpty() ? null : c.details());
        }
        if (t instanceof UnauthorizedException) return new ApiError(401, "unauthorized", t.getMessage(), null, null);
        JsonProcessingException json = jsonCause(t);
        if (json != null) return json(json);
        return new ApiError(500, "internal", "internal error", null, null);
    }

    public ErrorBody body(String requestId) {
        return new ErrorBody(new ErrorBody.ErrorDetail(code, message, requestId, field, details));
    }

    private static ApiError validation(String field, String message) {
        return new ApiError(422, "validation_failed", message, field, null);
    }

    private static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message, null, null);
    }

    /** A request body the binding could not read into its type. */
    private static ApiError json(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = path(u);
            return validation(field.isEmpty() ? u.getPropertyName() : field, "unknown field '" + u.getPropertyName() + "'");
        }
        if (e instanceof MismatchedInputException m) {
            String field = path(m);
            if (field.isEmpty()) return badRequest("the JSON body must be an object");
            return validation(field, "field '" + field + "' has the wrong type");
        }
        if (e instanceof JsonMappingException m) {
            String field = path(m);
            return validation(field.isEmpty() ? "body" : field, "invalid value for '" + field + "'");
        }
        return badRequest("malformed JSON: " + e.getOriginalMessage());
    }

    private static JsonProcessingException jsonCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JsonProcessingException j) return j;
        }
        return null;
    }

    /** The field's path, as in {@code checks[0].command}. */
    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).replaceFirst("^\\.", "");
    }
}
