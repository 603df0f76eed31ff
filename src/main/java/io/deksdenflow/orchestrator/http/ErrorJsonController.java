package io.deksdenflow.orchestrator.http;

import io.deksdenflow.orchestrator.common.RequestContext;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Unknown routes and container-level errors answer in the same JSON error shape as the API. */
@RestController
class ErrorJsonController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<Map<String, Object>> error(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        String requestId = response.getHeader(RequestFilter.REQUEST_ID_HEADER);
        if (requestId == null) requestId = RequestContext.requestId();
        String errorCode = code(status);
        String message = status == 404 ? "no such route: " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)
                : reason(status);
        if (requestId == null) {
            requestId = RequestFilter.validRequestId(request.getHeader(RequestFilter.REQUEST_ID_HEADER));
            response.setHeader(RequestFilter.REQUEST_ID_HEADER, requestId);
        }
        return ResponseEntity.status(status).body(Map.of("error", Map.of("code", errorCode, "message", message,
                "request_id", requestId)));
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 431 -> "request_header_fields_too_large";
            default -> status >= 500 ? "internal" : "error";
        };
    }

    static String reason(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "HTTP " + status : known.getReasonPhrase();
    }
}
