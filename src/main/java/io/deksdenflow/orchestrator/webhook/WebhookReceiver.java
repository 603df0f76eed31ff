package io.deksdenflow.orchestrator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.api.ApiError;
import io.deksdenflow.orchestrator.api.RequestFilter;
import io.deksdenflow.orchestrator.common.UnauthorizedException;
import io.deksdenflow.orchestrator.common.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/**
 * The steps of the GitHub and GitLab webhook routes: authenticate on the raw body, refuse replays
 * (an atomic claim of the delivery, released again when the delivery fails), parse and translate into
 * a {@link CiStatus} for {@code direct:ci-status}, then count the outcome. A signed delivery is
 * mapped by what its payload says; {@code ?protocol_run_id=} only narrows that mapping (it travels as
 * {@link WebhookEndpoints#REQUESTED_RUN_PROPERTY}, never inside the status).
 */
@Component
public class WebhookReceiver {
    /** Exchange property: true when this step already produced the answer (no ci-status call). */
    public static final String ANSWERED = "deksdenflowWebhookAnswered";
    static final String PROVIDER = "deksdenflowWebhookProvider";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WebhookAuthenticator auth;
    private final WebhookDeliveries deliveries;
    private final WebhookMetrics metrics;

    public WebhookReceiver(WebhookAuthenticator auth, WebhookDeliveries deliveries, WebhookMetrics metrics) {
        this.auth = auth;
        this.deliveries = deliveries;
        this.metrics = metrics;
    }

    public Object github(Exchange exchange) {
        byte[] body = rawBody(exchange);
        Set<Long> scope = authenticate(exchange, GithubTranslator.PROVIDER,
                () -> auth.github(body, header(exchange, "X-Hub-Signature-256")));
        return intake(exchange, GithubTranslator.PROVIDER, body, scope, header(exchange, "X-GitHub-Delivery"),
                header(exchange, "X-GitHub-Event"), GithubTranslator::translate);
    }

    public Object gitlab(Exchange exchange) {
        byte[] body = rawBody(exchange);
        Set<Long> scope = authenticate(exchange, GitlabTranslator.PROVIDER,
                () -> auth.gitlab(header(exchange, "X-Gitlab-Token")));
        String delivery = header(exchange, "Idempotency-Key");
        if (delivery == null || delivery.isBlank()) delivery = header(exchange, "X-Gitlab-Event-UUID");
        return intake(exchange, GitlabTranslator.PROVIDER, body, scope, delivery,
                header(exchange, "X-Gitlab-Event"), GitlabTranslator::translate);
    }

    /** After {@code direct:ci-status}: count, release the delivery's claim unless it succeeded, drop the request headers. */
    public void finish(Exchange exchange) {
        String provider = exchange.getProperty(PROVIDER, String.class);
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (code != null && code < 300) {
            metrics.count(provider, exchange.getProperty(CiStatusApi.OUTCOME_PROPERTY, "accepted", String.class));
        } else {
            deliveries.release(exchange.getProperty(WebhookEndpoints.DELIVERY_PROPERTY, String.class));
            metrics.count(provider, "invalid");
        }
        clearHeaders(exchange);
    }

    /** Removes the request's headers so that they are not echoed in the response. */
    public void clearHeaders(Exchange exchange) {
        Object code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE);
        Object type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE);
        Object requestId = exchange.getMessage().getHeader(RequestFilter.REQUEST_ID_HEADER);
        exchange.getMessage().removeHeaders("*");
        if (requestId != null) exchange.getMessage().setHeader(RequestFilter.REQUEST_ID_HEADER, requestId);
        if (code != null) exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        if (type != null) exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, type);
    }

    private interface Auth {
        Set<Long> run();
    }

    private Set<Long> authenticate(Exchange exchange, String provider, Auth check) {
        exchange.setProperty(PROVIDER, provider);
        try {
            return check.run();
        } catch (UnauthorizedException e) {
            metrics.count(provider, "unauthorized");
            clearHeaders(exchange);
            throw e;
        }
    }

    private Object intake(Exchange exchange, String provider, byte[] body, Set<Long> scope, String deliveryId,
                          String event, BiFunction<String, JsonNode, Optional<CiStatus>> translator) {
        String key = WebhookDeliveries.key(provider, deliveryId, body);
        if (!deliveries.claim(key)) {
            metrics.count(provider, "duplicate");
            return answer(exchange, 200, Map.of("status", "duplicate"));
        }
        try {
            return translate(exchange, provider, body, scope, key, event, translator);
        } catch (ApiError.ClientError e) {
            deliveries.release(key);
            metrics.count(provider, "invalid");
            clearHeaders(exchange);
            throw e;
        } catch (RuntimeException e) {
            deliveries.release(key);
            throw e;
        }
    }

    private Object translate(Exchange exchange, String provider, byte[] body, Set<Long> scope, String key,
                             String event, BiFunction<String, JsonNode, Optional<CiStatus>> translator) {
        JsonNode json = parse(body, header(exchange, Exchange.CONTENT_TYPE));
        Optional<CiStatus> translated = translator.apply(event, json);
        if (translated.isEmpty()) {
            return ignored(exchange, provider, key, "event '" + (event == null ? "" : event)
                    + "' carries no CI status this service acts on");
        }
        CiStatus status = translated.get().withProtocolRunId(null); // the signed payload decides, never the URL
        String runId = queryParam(exchange, "protocol_run_id");
        Long requested = null;
        if (runId != null) {
            try {
                requested = Long.parseLong(runId.trim());
            } catch (NumberFormatException e) {
                return ignored(exchange, provider, key, "unknown protocol_run_id " + runId);
            }
        }
        try {
            // a payload without a branch may still name a run by the commit it reports (checked against the run later)
            status = CiStatus.validated(requested != null && status.branch() == null ? status.withProtocolRunId(requested) : status)
                    .withProtocolRunId(null);
        } catch (ValidationException e) {
            return ignored(exchange, provider, key, e.getMessage());
        }
        exchange.setProperty(WebhookEndpoints.REQUESTED_RUN_PROPERTY, requested);
        exchange.setProperty(WebhookEndpoints.SCOPE_PROPERTY, scope);
        exchange.setProperty(WebhookEndpoints.DELIVERY_PROPERTY, key);
        clearHeaders(exchange);
        return status;
    }

    private Object ignored(Exchange exchange, String provider, String key, String reason) {
        metrics.count(provider, "ignored");
        return answer(exchange, 202, CiStatusService.ignored(reason));
    }

    private Object answer(Exchange exchange, int code, Map<String, Object> body) {
        clearHeaders(exchange);
        exchange.setProperty(ANSWERED, true);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        return new LinkedHashMap<>(body);
    }

    /**
     * The request body exactly as received: re-read from the servlet request, whose body the
     * RequestFilter keeps replayable, so nothing Camel did to the message body matters.
     */
    static byte[] rawBody(Exchange exchange) {
        try {
            if (exchange.getIn() instanceof PlatformHttpMessage m && m.getRequest() != null) {
                try (InputStream in = m.getRequest().getInputStream()) {
                    return in.readAllBytes();
                }
            }
            byte[] b = exchange.getIn().getBody(byte[].class);
            return b == null ? new byte[0] : b;
        } catch (IOException e) {
            throw new ApiError.ClientError(400, "bad_request", "unreadable request body");
        }
    }

    /** JSON, or GitHub's form encoding ({@code payload=<url-encoded JSON>}); anything else → 400. */
    static JsonNode parse(byte[] body, String contentType) {
        byte[] json = body;
        if (contentType != null && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            json = formPayload(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        JsonNode node;
        try {
            node = json.length == 0 ? null : MAPPER.readTree(json);
        } catch (IOException e) {
            throw new ApiError.ClientError(400, "bad_request", "malformed JSON payload");
        }
        if (node == null || !node.isObject()) {
            throw new ApiError.ClientError(400, "bad_request", "the payload must be a JSON object");
        }
        return node;
    }

    private static String formPayload(String form) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals("payload")) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private static String queryParam(Exchange exchange, String name) {
        String query = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String header(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }
}
