package io.deksdenflow.orchestrator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.forge.CommentEvent;
import io.deksdenflow.orchestrator.forge.IssueEvent;
import io.deksdenflow.orchestrator.http.ApiError;
import io.deksdenflow.orchestrator.http.RequestFilter;
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
import java.util.function.UnaryOperator;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/**
 * The steps of the forges' webhook routes (see {@link WebhookRoutes}): authenticate on the
 * raw body and name the delivery; parse; check what the translator made of it (narrowing by
 * {@code ?protocol_run_id=}, validation); answer ignored deliveries and duplicates; count the outcome
 * after {@code direct:ci-status}. Replay protection is the routes' {@code idempotentConsumer} with
 * {@link WebhookDeliveries}. A signed delivery is mapped by what its payload says; {@code ?protocol_run_id=}
 * only narrows that mapping (it travels as {@link WebhookEndpoints#REQUESTED_RUN_PROPERTY}, never
 * inside the status).
 */
@Component
public class WebhookReceiver {
    /** Exchange property: the forge of the delivery (its id), set by its route. */
    static final String PROVIDER = "deksdenflowWebhookProvider";
    /** Exchange property: the delivery's event, from the forge's event header. */
    public static final String EVENT = "deksdenflowWebhookEvent";
    /** Exchange property: why the delivery is answered {@code 202 ignored} (absent when it is acted on). */
    public static final String IGNORED = "deksdenflowWebhookIgnored";
    /** Exchange property: the parsed payload, kept for the issue step after translate. */
    static final String PAYLOAD = "deksdenflowWebhookPayload";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WebhookAuthenticator auth;
    private final WebhookMetrics metrics;
    private final Forges forges;

    public WebhookReceiver(WebhookAuthenticator auth, WebhookMetrics metrics, Forges forges) {
        this.auth = auth;
        this.metrics = metrics;
        this.forges = forges;
    }

    /**
     * Step {@code authenticate} of {@code webhook-<forge>}: the forge's credential (signature or token)
     * checked against each candidate secret on the raw body; names the delivery and its event.
     */
    public void authenticate(Exchange exchange) {
        String provider = exchange.getProperty(PROVIDER, String.class);
        Forge forge = forges.find(provider).orElseThrow(() -> new IllegalStateException("no forge " + provider));
        byte[] body = rawBody(exchange);
        UnaryOperator<String> headers = name -> header(exchange, name);
        String credential = forge.webhookCredential(headers);
        Set<Long> scope = authenticate(exchange, provider, () -> auth.scope(
                secret -> forge.verifies(secret, credential, body), credential != null && !credential.isBlank()));
        admit(exchange, provider, body, scope, forge.webhookDeliveryId(headers), forge.webhookEvent(headers));
    }

    /** Step {@code parse}: the raw body (JSON, or a form-encoded {@code payload=} field) → a JSON object, else 400. */
    public JsonNode parse(Exchange exchange) {
        try {
            return parse(exchange.getMessage().getBody(byte[].class), header(exchange, Exchange.CONTENT_TYPE));
        } catch (ApiError.ClientError e) {
            metrics.count(exchange.getProperty(PROVIDER, String.class), "invalid");
            clearHeaders(exchange);
            throw e;
        }
    }

    /**
     * Step {@code check}, after the translator: the translated status, narrowed by {@code ?protocol_run_id=}
     * and validated; or, when this service does not act on the delivery, the reason in {@link #IGNORED}.
     */
    public Object check(Exchange exchange) {
        Optional<?> translated = exchange.getMessage().getBody(Optional.class);
        String event = exchange.getProperty(EVENT, String.class);
        if (translated == null || translated.isEmpty() || !(translated.get() instanceof CiStatus)) {
            return ignore(exchange, "event '" + (event == null ? "" : event) + "' carries no CI status this service acts on");
        }
        CiStatus status = ((CiStatus) translated.get()).withProtocolRunId(null); // the signed payload decides, never the URL
        String runId = queryParam(exchange, "protocol_run_id");
        Long requested = null;
        if (runId != null) {
            try {
                requested = Long.parseLong(runId.trim());
            } catch (NumberFormatException e) {
                return ignore(exchange, "unknown protocol_run_id " + runId);
            }
        }
        try {
            // a payload without a branch may still name a run by the commit it reports (checked against the run later)
            status = CiStatus.validated(requested != null && status.branch() == null ? status.withProtocolRunId(requested) : status)
                    .withProtocolRunId(null);
        } catch (ValidationException e) {
            return ignore(exchange, e.getMessage());
        }
        exchange.setProperty(WebhookEndpoints.REQUESTED_RUN_PROPERTY, requested);
        clearHeaders(exchange);
        return status;
    }

    /** Whether the translator found nothing this service acts on as CI status (the body is an empty Optional). */
    static boolean nothing(Exchange exchange) {
        return !(exchange.getMessage().getBody() instanceof Optional<?> o) || o.isEmpty();
    }

    /** Whether the body is a translated comment ({@link CommentCommands}). */
    static boolean comment(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof Optional<?> o && o.orElse(null) instanceof CommentEvent;
    }

    /** Whether the body is a translated issue event ({@link IssueIntake}). */
    static boolean issue(Exchange exchange) {
        return exchange.getMessage().getBody() instanceof Optional<?> o && o.orElse(null) instanceof IssueEvent;
    }

    /** Answers a delivery the filter turned away: {@code 202 {"status": "ignored", "reason": ...}}. */
    public Map<String, Object> ignored(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, Object> synced = exchange.getProperty(BaseSyncIntake.RESULT, Map.class);
        if (synced != null) { // no CI status, but protocols are synced with their base: that is the answer
            metrics.count(exchange.getProperty(PROVIDER, String.class), CiStatusService.ACCEPTED);
            return answer(exchange, 202, synced);
        }
        metrics.count(exchange.getProperty(PROVIDER, String.class), "ignored");
        return answer(exchange, 202, CiStatusService.ignored(exchange.getProperty(IGNORED, String.class)));
    }

    /** Answers a delivery the idempotent consumer saw before: {@code 200 {"status": "duplicate"}}. */
    public Map<String, Object> duplicate(Exchange exchange) {
        metrics.count(exchange.getProperty(PROVIDER, String.class), "duplicate");
        return answer(exchange, 200, Map.of("status", "duplicate"));
    }

    /**
     * After {@code direct:ci-status}: counts the outcome and drops the request headers. An error answer
     * was handled by {@code api-errors}, which marks the exchange failure-handled: the idempotent
     * consumer then removes the delivery's key, so that the forge may deliver it again.
     */
    public void finish(Exchange exchange) {
        String provider = exchange.getProperty(PROVIDER, String.class);
        Integer code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (code != null && code < 300) {
            metrics.count(provider, exchange.getProperty(CiStatusApi.OUTCOME_PROPERTY, "accepted", String.class));
        } else {
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

    private static void admit(Exchange exchange, String provider, byte[] body, Set<Long> scope, String deliveryId,
                              String event) {
        exchange.setProperty(WebhookEndpoints.SCOPE_PROPERTY, scope);
        exchange.setProperty(WebhookEndpoints.DELIVERY_PROPERTY, WebhookDeliveries.key(provider, deliveryId, body));
        exchange.setProperty(EVENT, event);
        exchange.getMessage().setBody(body);
    }

    private static Object ignore(Exchange exchange, String reason) {
        exchange.setProperty(IGNORED, reason);
        return null;
    }

    private Map<String, Object> answer(Exchange exchange, int code, Map<String, Object> body) {
        clearHeaders(exchange);
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

    /** JSON, or form encoding ({@code payload=<url-encoded JSON>}), as forges may send; anything else → 400. */
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
