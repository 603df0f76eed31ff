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
     * route that authenticated on its own): every project.
     */
    public static final String SCOPE_PROPERTY = "deksdenflowWebhookScope";
    /** Exchange property: the delivery id to mark as seen once {@code direct:ci-status} succeeded. */
    public static final String DELIVERY_PROPERTY = "deksdenflowWebhookDelivery";

    private WebhookEndpoints() {
    }
}
