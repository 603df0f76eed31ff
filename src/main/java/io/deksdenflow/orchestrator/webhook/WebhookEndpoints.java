package io.deksdenflow.orchestrator.webhook;

/** Endpoint URIs, route ids and exchange keys of the CI loop, shared by routes, docs and tests. */
public final class WebhookEndpoints {

    public static final String GITHUB_PATH = "/webhooks/github";
    public static final String GITLAB_PATH = "/webhooks/gitlab";
    public static final String GITHUB_URI = "platform-http:" + GITHUB_PATH + "?httpMethodRestrict=POST";
    public static final String GITLAB_URI = "platform-http:" + GITLAB_PATH + "?httpMethodRestrict=POST";
    /** The normalized CI status entry point: one JSON object in, {@code {"status": accepted|ignored}} out. */
    public static final String CI_STATUS = "direct:ci-status";

    public static final String GITHUB_ROUTE_ID = "webhook-github";
    public static final String GITLAB_ROUTE_ID = "webhook-gitlab";
    public static final String CI_STATUS_ROUTE_ID = "ci-status";

    /**
     * Exchange property the GitHub/GitLab routes set for {@code direct:ci-status}: the ids of the
     * projects the delivery's secret may affect (a {@code java.util.Set<Long>}). Absent (a YAML
     * route that authenticated on its own): every project without its own {@code webhook_token}
     * (a shared route token never covers a project that has its own secret).
     */
    public static final String SCOPE_PROPERTY = "deksdenflowWebhookScope";
    /**
     * Exchange property: the {@code ?protocol_run_id=} of a signed GitHub/GitLab delivery (a Long). It
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
}
