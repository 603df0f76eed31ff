package io.deksdenflow.orchestrator.webhook;

import static io.deksdenflow.orchestrator.webhook.WebhookEndpoints.*;

import io.deksdenflow.orchestrator.forge.Forge;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.http.ApiErrorsConfiguration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The CI loop's routes. One {@code webhook-<forge id>} route per registered forge shows a delivery's steps: authenticate by the forge's
 * own scheme on the raw body (never the API bearer token; 401 through {@code api-errors}) → idempotent
 * consumer on the delivery's key ({@link WebhookDeliveries}: Redis SET NX EX, removed again when the
 * delivery fails) → parse → translate (the forge's {@link Forge#translate}) → check and filter (a
 * delivery this service does not act on answers {@code 202 ignored} with the reason) →
 * {@code direct:ci-status} → count. Before translate, a push to a base branch or a PR/MR that conflicts with its base
 * asks for the syncs of the protocols concerned ({@link BaseSyncIntake}). A delivery without a CI status that the forge reads as an issue event
 * ({@link Forge#issueEvent}) goes to {@link IssueIntake} instead, a new comment ({@link Forge#commentEvent}) to
 * {@link CommentCommands}. A duplicate skips the idempotent block and answers {@code 200 duplicate}.
 * {@code ci-status} ({@code direct:ci-status}) is the normalized entry point that YAML routes
 * (Jenkins, ...) use as well.
 */
@Component
public class WebhookRoutes extends RouteBuilder {

    private final WebhookDeliveries deliveries;
    private final Forges forges;

    public WebhookRoutes(WebhookDeliveries deliveries, Forges forges) {
        this.deliveries = deliveries;
        this.forges = forges;
    }

    @Override
    public void configure() {
        for (Forge forge : forges.all()) {
            webhook(forge);
        }

        from(CI_STATUS).routeId(CI_STATUS_ROUTE_ID).routeConfigurationId(ApiErrorsConfiguration.ID)
                .description("Normalized CI status {protocol_run_id|branch|head_sha, status, provider, ...} → transitions")
                .process("requestContext")
                .bean(CiStatusApi.class, "accept").id(CI_STATUS_ROUTE_ID + "-apply")
                .process("jsonResponse");
    }

    private void webhook(Forge forge) {
        String routeId = routeId(forge.id());
        from(uri(forge.id())).routeId(routeId).routeConfigurationId(ApiErrorsConfiguration.ID)
                .description(forge.displayName()
                        + " webhook deliveries: authenticate → idempotent consumer → base sync → translate → (issue → intake | comment → command | filter → direct:ci-status)")
                .process("requestContext")
                .setProperty(WebhookReceiver.PROVIDER, constant(forge.id()))
                .bean(WebhookReceiver.class, "authenticate").id(routeId + "-authenticate")
                .idempotentConsumer(exchangeProperty(DELIVERY_PROPERTY)).idempotentRepository(deliveries)
                        .eager(true).removeOnFailure(true).skipDuplicate(true).id(routeId + "-idempotent")
                    .bean(WebhookReceiver.class, "parse").id(routeId + "-parse")
                    .setProperty(WebhookReceiver.PAYLOAD, body())
                    .bean(BaseSyncIntake.class, "tap").id(routeId + "-base-sync")
                    .bean(forge, "translate(${exchangeProperty." + WebhookReceiver.EVENT + "}, ${body})")
                            .id(routeId + "-translate")
                    .filter(WebhookReceiver::nothing).id(routeId + "-no-ci-status")
                        .bean(forge, "issueEvent(${exchangeProperty." + WebhookReceiver.EVENT + "}, ${exchangeProperty."
                                + WebhookReceiver.PAYLOAD + "})").id(routeId + "-issue-event")
                    .end()
                    .filter(WebhookReceiver::nothing).id(routeId + "-no-issue-event")
                        .bean(forge, "commentEvent(${exchangeProperty." + WebhookReceiver.EVENT + "}, ${exchangeProperty."
                                + WebhookReceiver.PAYLOAD + "})").id(routeId + "-comment-event")
                    .end()
                    .choice().id(routeId + "-kind")
                        .when(WebhookReceiver::issue)
                            .bean(IssueIntake.class, "accept").id(routeId + "-intake")
                            .bean(WebhookReceiver.class, "finish")
                            .process("jsonResponse")
                        .when(WebhookReceiver::comment)
                            .bean(CommentCommands.class, "accept").id(routeId + "-command")
                            .bean(WebhookReceiver.class, "finish")
                            .process("jsonResponse")
                        .otherwise()
                            .bean(WebhookReceiver.class, "check").id(routeId + "-check")
                            .filter(exchangeProperty(WebhookReceiver.IGNORED).isNotNull()).id(routeId + "-filter")
                                .bean(WebhookReceiver.class, "ignored")
                                .process("jsonResponse")
                                .stop()
                            .end()
                            .to(CI_STATUS).id(routeId + "-ci-status")
                            .bean(WebhookReceiver.class, "finish").id(routeId + "-count")
                    .end()
                .end()
                .filter(exchangeProperty(Exchange.DUPLICATE_MESSAGE).isEqualTo(true)).id(routeId + "-duplicate")
                    .bean(WebhookReceiver.class, "duplicate")
                    .process("jsonResponse")
                .end();
    }
}
