package io.deksdenflow.orchestrator.webhook;

import static io.deksdenflow.orchestrator.webhook.WebhookEndpoints.*;

import io.deksdenflow.orchestrator.http.ApiErrorsConfiguration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The CI loop's routes. {@code webhook-github} and {@code webhook-gitlab} show a delivery's steps:
 * authenticate by the forge's own scheme on the raw body (never the API bearer token; 401 through
 * {@code api-errors}) → idempotent consumer on the delivery's key ({@link WebhookDeliveries}:
 * Redis SET NX EX, removed again when the delivery fails) → parse → translate (the plain
 * {@link GithubTranslator} / {@link GitlabTranslator}) → check and filter (a delivery this service
 * does not act on answers {@code 202 ignored} with the reason) → {@code direct:ci-status} → count.
 * A duplicate skips the idempotent block and answers {@code 200 duplicate}.
 * {@code ci-status} ({@code direct:ci-status}) is the normalized entry point that YAML routes
 * (Jenkins, ...) use as well.
 */
@Component
public class WebhookRoutes extends RouteBuilder {

    private final WebhookDeliveries deliveries;

    public WebhookRoutes(WebhookDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void configure() {
        webhook(GITHUB_URI, GITHUB_ROUTE_ID, "github", "authenticateGithub", GithubTranslator.class);
        webhook(GITLAB_URI, GITLAB_ROUTE_ID, "gitlab", "authenticateGitlab", GitlabTranslator.class);

        from(CI_STATUS).routeId(CI_STATUS_ROUTE_ID).routeConfigurationId(ApiErrorsConfiguration.ID)
                .description("Normalized CI status {protocol_run_id|branch, status, provider, ...} → transitions")
                .process("requestContext")
                .bean(CiStatusApi.class, "accept").id(CI_STATUS_ROUTE_ID + "-apply")
                .process("jsonResponse");
    }

    private void webhook(String uri, String routeId, String provider, String authenticate, Class<?> translator) {
        from(uri).routeId(routeId).routeConfigurationId(ApiErrorsConfiguration.ID)
                .description(provider + " webhook deliveries: authenticate → idempotent consumer → translate → filter → direct:ci-status")
                .process("requestContext")
                .bean(WebhookReceiver.class, authenticate).id(routeId + "-authenticate")
                .idempotentConsumer(exchangeProperty(DELIVERY_PROPERTY)).idempotentRepository(deliveries)
                        .eager(true).removeOnFailure(true).skipDuplicate(true).id(routeId + "-idempotent")
                    .bean(WebhookReceiver.class, "parse").id(routeId + "-parse")
                    .bean(translator, "translate(${exchangeProperty." + WebhookReceiver.EVENT + "}, ${body})")
                            .id(routeId + "-translate")
                    .bean(WebhookReceiver.class, "check").id(routeId + "-check")
                    .filter(exchangeProperty(WebhookReceiver.IGNORED).isNotNull()).id(routeId + "-filter")
                        .bean(WebhookReceiver.class, "ignored")
                        .process("jsonResponse")
                        .stop()
                    .end()
                    .to(CI_STATUS).id(routeId + "-ci-status")
                    .bean(WebhookReceiver.class, "finish").id(routeId + "-count")
                .end()
                .filter(exchangeProperty(Exchange.DUPLICATE_MESSAGE).isEqualTo(true)).id(routeId + "-duplicate")
                    .bean(WebhookReceiver.class, "duplicate")
                    .process("jsonResponse")
                .end();
    }
}
