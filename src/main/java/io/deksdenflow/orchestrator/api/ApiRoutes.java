package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.ops.HealthApi;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * The REST API in the Camel REST DSL on platform-http. Each verb hands off to a {@code direct:}
 * route with a stable id; the route calls a bean that decides and sets the HTTP status.
 */
@Component
public class ApiRoutes extends RouteBuilder {

    @Override
    public void configure() {
        restConfiguration()
                .component("platform-http")
                .bindingMode(RestBindingMode.off)
                .apiContextPath("/openapi.json")
                .apiProperty("api.title", "DeksdenFlow Orchestrator API")
                .apiProperty("api.version", "0.1.0")
                .apiProperty("api.description", "Coordinates coding-agent protocols on git repositories");

        rest("/health").description("Liveness and dependency checks")
                .get().id("rest-health").produces("application/json").to("direct:api-health");

        rest("/projects").description("Projects: registered git repositories")
                .post().id("rest-project-create").type(ApiRequests.CreateProject.class)
                .to("direct:project-create")
                .get().id("rest-project-list").param().name("after").type(RestParamType.query).endParam()
                .param().name("limit").type(RestParamType.query).endParam().to("direct:project-list")
                .get("/{id}").id("rest-project-get").to("direct:project-get")
                .post("/{id}/actions/setup").id("rest-project-setup").to("direct:project-setup")
                .post("/{id}/protocols").id("rest-protocol-create").type(ApiRequests.CreateProtocol.class)
                .to("direct:protocol-create")
                .get("/{id}/protocols").id("rest-protocol-list").to("direct:protocol-list");

        rest("/protocols").description("Protocol runs and their steps")
                .get("/{id}").id("rest-protocol-get").to("direct:protocol-get")
                .post("/{id}/actions/raise_budget").id("rest-protocol-raise-budget")
                .description("raise a paused protocol's own budget limits and resume it where it stopped")
                .type(ApiRequests.RaiseBudget.class).to("direct:protocol-raise-budget")
                .post("/{id}/actions/{action}").id("rest-protocol-action")
                .description("start | pause | resume | cancel | run_next_step | retry_latest | open_pr | raise_budget")
                .to("direct:protocol-action")
                .get("/{id}/events").id("rest-protocol-events").to("direct:protocol-events")
                .post("/{id}/steps").id("rest-step-create").type(ApiRequests.CreateStep.class).to("direct:step-create")
                .get("/{id}/steps").id("rest-step-list").to("direct:step-list");

        rest("/steps").description("Step runs")
                .get("/{id}").id("rest-step-get").to("direct:step-get")
                .post("/{id}/actions/{action}").id("rest-step-action").description("run | run_qa | approve")
                .to("direct:step-action")
                .get("/{id}/runs").id("rest-step-runs").to("direct:step-runs");

        rest("/runs").description("Engine invocations")
                .get("/{id}/log").id("rest-run-log").to("direct:run-log");

        rest("/events").description("The event log")
                .get().id("rest-event-list").param().name("project_id").type(RestParamType.query).endParam()
                .param().name("before").type(RestParamType.query).endParam()
                .param().name("limit").type(RestParamType.query).endParam()
                .to("direct:event-list");

        rest("/queues").description("The Redis job queue")
                .get().id("rest-queue-summary").to("direct:queue-summary")
                .get("/jobs").id("rest-queue-jobs").param().name("status").type(RestParamType.query)
                .description("queued | started | delayed | finished | failed").endParam()
                .param().name("limit").type(RestParamType.query).endParam().to("direct:queue-jobs");

        rest("/metrics").description("Prometheus metrics")
                .get().id("rest-metrics").produces("text/plain").to("direct:api-metrics");
        rest("/routes").description("Camel routes and their counters")
                .get().id("rest-routes").to("direct:api-routes");

        api("api-metrics").bean(io.deksdenflow.orchestrator.ops.MetricsApi.class, "scrape")
                .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; version=0.0.4; charset=utf-8"));
        api("api-routes").bean(io.deksdenflow.orchestrator.ops.RoutesMonitor.class, "routes").process("jsonResponse");
        api("api-health").bean(HealthApi.class, "health").process("jsonResponse");
        api("project-create").bean(ProjectApi.class, "create").setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201)).process("jsonResponse");
        api("project-list").bean(ProjectApi.class, "list").process("jsonResponse");
        api("project-get").bean(ProjectApi.class, "get").process("jsonResponse");
        api("project-setup").bean(ProjectApi.class, "setup").setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202)).process("jsonResponse");
        api("protocol-create").bean(ProtocolApi.class, "create").setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201)).process("jsonResponse");
        api("protocol-list").bean(ProtocolApi.class, "list").process("jsonResponse");
        api("protocol-get").bean(ProtocolApi.class, "get").process("jsonResponse");
        api("protocol-action").bean(ProtocolApi.class, "action").setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202)).process("jsonResponse");
        api("protocol-raise-budget").setHeader("action", constant("raise_budget")).bean(ProtocolApi.class, "action")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202)).process("jsonResponse");
        api("protocol-events").bean(ProtocolApi.class, "events").process("jsonResponse");
        api("step-create").bean(StepApi.class, "create").setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201)).process("jsonResponse");
        api("step-list").bean(StepApi.class, "list").process("jsonResponse");
        api("step-get").bean(StepApi.class, "get").process("jsonResponse");
        api("step-action").bean(StepApi.class, "action").setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202)).process("jsonResponse");
        api("step-runs").bean(StepApi.class, "runs").process("jsonResponse");
        api("run-log").bean(StepApi.class, "log").process("jsonResponse");
        api("queue-summary").bean(QueueApi.class, "summary").process("jsonResponse");
        api("queue-jobs").bean(QueueApi.class, "jobs").process("jsonResponse");
        api("event-list").bean(EventApi.class, "list").process("jsonResponse");
    }

    /** A {@code direct:<id>} route with id {@code <id>} under the api-errors configuration. */
    private RouteDefinition api(String id) {
        return from("direct:" + id).routeId(id).routeConfigurationId(ApiErrorsConfiguration.ID)
                .process("requestContext");
    }
}
