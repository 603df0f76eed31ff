package io.deksdenflow.orchestrator.webhook;

/** Endpoint URIs, route ids and exchange keys of the CI loop, shared by routes, docs and tests. */
public final class WebhookEndpoints {

    /** A forge's deliveries arrive on {@code /webhooks/<forge id>}. */
    public static final String PATH_PREFIX = "/webhooks/";
    /** The normalized CI status entry point: one JSON object in, {@code {"status": accepted|ignored}} out. */
    public static final String CI_STATUS = "direct:ci-status";

    public static final String CI_STATUS_ROUTE_ID = "ci-status";

    /**
     * Exchange property the forges' webhook routes set for {@code direct:ci-status}: the ids of the
     * projects the delivery's secret may affect (a {@code java.util.Set<Long>}). Absent (a YAML
     * route that authenticated on its own): every project without its own {@code webhook_token}
     * (a shared route token never covers a project that has its own secret).
     */
    public static final String SCOPE_PROPERTY = "deksdenflowWebhookScope";
    /**
     * Exchange property: the {@code ?protocol_run_id=} of a signed forge delivery (a Long). It
     * only narrows what the payload maps to: a run the payload's repository and branch (or commit) do
     * not name is answered {@code 202 ignored}.
     */
    public static final String REQUESTED_RUN_PROPERTY = "deksdenflowWebhookRequestedRun";
    /**
     * Exchange property: the delivery's key ({@link WebhookDeliveries#key}), the message id of the
     * routes' idempotent consumer, which removes it again when the delivery failed.
     */
    public static final String DELIVERY_PROPERTY = "deksdenflowWebhookDelivery";

    private WebhookEndpoints() {
    }

    /** {@code /webhooks/<forge id>}. */
    public static String path(String forgeId) {
        return PATH_PREFIX + forgeId;
    }

    /** The route's consumer: {@code platform-http:/webhooks/<forge id>?httpMethodRestrict=POST}. */
    public static String uri(String forgeId) {
        return "platform-http:" + path(forgeId) + "?httpMethodRestrict=POST";
    }

    /** {@code webhook-<forge id>}. */
    public static String routeId(String forgeId) {
        return "webhook-" + forgeId;
    }
}
