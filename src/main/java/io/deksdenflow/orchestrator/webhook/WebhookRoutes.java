package io.deksdenflow.orchestrator.webhook;

import static io.deksdenflow.orchestrator.webhook.WebhookEndpoints.*;

import io.deksdenflow.orchestrator.api.ApiErrorsConfiguration;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The CI loop's routes. {@code webhook-github} and {@code webhook-gitlab} authenticate a delivery by
 * its own scheme (never the API bearer token), refuse replays, translate the payload and hand it to
 * {@code ci-status} ({@code direct:ci-status}), the normalized entry point that YAML routes
 * (Jenkins, ...) use as well. The beans decide; the routes wire and set the HTTP status.
 */
@Component
public class WebhookRoutes extends RouteBuilder {

    @Override
    public void configure() {
        webhook(GITHUB_URI, GITHUB_ROUTE_ID, "github");
        webhook(GITLAB_URI, GITLAB_ROUTE_ID, "gitlab");

        from(CI_STATUS).routeId(CI_STATUS_ROUTE_ID).routeConfigurationId(ApiErrorsConfiguration.ID)
                .description("Normalized CI status {protocol_run_id|branch, status, provider, ...} → transitions")
                .process("requestContext")
                .bean(CiStatusApi.class, "accept")
                .process("jsonResponse");
    }

    private void webhook(String uri, String routeId, String method) {
        from(uri).routeId(routeId).routeConfigurationId(ApiErrorsConfiguration.ID)
                .description(method + " webhook deliveries → direct:ci-status")
                .process("requestContext")
                .bean(WebhookReceiver.class, method)
                .choice()
                    .when(exchangeProperty(WebhookReceiver.ANSWERED).isEqualTo(true))
                        .process("jsonResponse")
                    .otherwise()
                        .to(CI_STATUS)
                        .bean(WebhookReceiver.class, "finish")
                .end();
    }
}
