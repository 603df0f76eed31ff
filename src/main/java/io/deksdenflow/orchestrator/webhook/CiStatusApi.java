package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.CiStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.http.ApiError;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The bean behind {@code direct:ci-status}: reads one JSON object (String, byte[], InputStream, Map
 * or a {@link CiStatus}), validates it and hands it to {@link CiStatusService}. Malformed JSON → 400,
 * a body that is not a valid CI status object → 422 (both through {@code api-errors}).
 */
@Component
public class CiStatusApi {
    /** Exchange property set after processing: {@code accepted} or {@code ignored}. */
    public static final String OUTCOME_PROPERTY = "deksdenflowCiStatusOutcome";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final CiStatusService service;
    private final WebhookMetrics metrics;

    public CiStatusApi(CiStatusService service, WebhookMetrics metrics) {
        this.service = service;
        this.metrics = metrics;
    }

    /** Sets the 202 status and returns the answer body. */
    public Map<String, Object> accept(Exchange exchange) {
        CiStatus status;
        try {
            status = CiStatus.validated(read(body(exchange)));
        } catch (ValidationException | ApiError.ClientError e) {
            if (exchange.getProperty(WebhookEndpoints.SCOPE_PROPERTY) == null) {
                metrics.count("other", "invalid");
            }
            throw e;
        }
        @SuppressWarnings("unchecked")
        Set<Long> scope = exchange.getProperty(WebhookEndpoints.SCOPE_PROPERTY, Set.class);
        Long requested = exchange.getProperty(WebhookEndpoints.REQUESTED_RUN_PROPERTY, Long.class);
        Map<String, Object> result = service.apply(status, scope, requested);
        if (scope == null) {
            // forge deliveries are counted by their own route; this counts the other callers.
            metrics.count(status.provider(), String.valueOf(result.get("status")));
        }
        exchange.setProperty(OUTCOME_PROPERTY, result.get("status"));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        return result;
    }

    /** The body as is when structured, else as bytes through Camel's converters (streams, caches, ...). */
    private static Object body(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body == null || body instanceof CiStatus || body instanceof Map<?, ?> || body instanceof JsonNode
                || body instanceof String || body instanceof byte[]) {
            return body;
        }
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        return bytes != null ? bytes : body;
    }

    static CiStatus read(Object body) {
        if (body instanceof CiStatus s) {
            return s;
        }
        try {
            JsonNode node;
            if (body == null) {
                throw new ApiError.ClientError(400, "bad_request", "a JSON body is required");
            } else if (body instanceof Map<?, ?> map) {
                node = MAPPER.valueToTree(map);
            } else if (body instanceof byte[] bytes) {
                node = MAPPER.readTree(bytes);
            } else if (body instanceof InputStream in) {
                node = MAPPER.readTree(in.readAllBytes());
            } else if (body instanceof String text) {
                node = MAPPER.readTree(text.getBytes(StandardCharsets.UTF_8));
            } else if (body instanceof JsonNode n) {
                node = n;
            } else {
                throw new ApiError.ClientError(400, "bad_request",
                        "unsupported body type " + body.getClass().getSimpleName());
            }
            if (node == null || node.isMissingNode()) {
                throw new ApiError.ClientError(400, "bad_request", "a JSON body is required");
            }
            if (!node.isObject()) {
                throw new ValidationException("body", "the CI status must be a JSON object");
            }
            return MAPPER.treeToValue(node, CiStatus.class);
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() || e.getPath().get(0).getFieldName() == null
                    ? "body" : e.getPath().get(0).getFieldName();
            throw new ValidationException(field, "invalid value for '" + field + "'");
        } catch (JsonProcessingException e) {
            throw new ApiError.ClientError(400, "bad_request", "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError.ClientError(400, "bad_request", "unreadable body");
        }
    }
}
