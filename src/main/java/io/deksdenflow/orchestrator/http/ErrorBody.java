package io.deksdenflow.orchestrator.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** Every error answer: {@code {"error": {code, message, request_id, field?, details?}}}. */
@Schema(requiredProperties = {"error"})
public record ErrorBody(ErrorDetail error) {

    /** {@code field} only on 422 (the invalid field or parameter), {@code details} only on a refused transition (409). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(requiredProperties = {"code", "message", "request_id"})
    public record ErrorDetail(String code, String message, String requestId,
                         @JsonInclude(JsonInclude.Include.NON_NULL) String field,
                         @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> details) {}
}
