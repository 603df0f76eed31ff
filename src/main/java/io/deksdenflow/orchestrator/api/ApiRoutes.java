package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.http.RequestFilter;
import io.deksdenflow.orchestrator.http.ApiErrorsConfiguration;
import io.deksdenflow.orchestrator.http.ApiErrorHandler;
import io.deksdenflow.orchestrator.http.ApiError;
import io.deksdenflow.orchestrator.api.model.CreateProject;
import io.deksdenflow.orchestrator.api.model.CreateProtocol;
import io.deksdenflow.orchestrator.api.model.CreateStep;
import io.deksdenflow.orchestrator.http.ErrorBody;
import io.deksdenflow.orchestrator.api.model.DeliveryPage;
import io.deksdenflow.orchestrator.api.model.EventPage;
import io.deksdenflow.orchestrator.api.model.ProjectActionResponse;
import io.deksdenflow.orchestrator.api.model.ProjectPage;
import io.deksdenflow.orchestrator.api.model.ProjectView;
import io.deksdenflow.orchestrator.api.model.ProtocolActionResponse;
import io.deksdenflow.orchestrator.api.model.ProtocolPage;
import io.deksdenflow.orchestrator.api.model.ProtocolView;
import io.deksdenflow.orchestrator.api.model.QueueJobPage;
import io.deksdenflow.orchestrator.api.model.QueueSummary;
import io.deksdenflow.orchestrator.api.model.RaiseBudget;
import io.deksdenflow.orchestrator.api.model.RejectPlan;
import io.deksdenflow.orchestrator.api.model.AnswerQuestion;
import io.deksdenflow.orchestrator.api.model.RunLogView;
import io.deksdenflow.orchestrator.api.model.RunPage;
import io.deksdenflow.orchestrator.api.model.StepActionResponse;
import io.deksdenflow.orchestrator.api.model.StepPage;
import io.deksdenflow.orchestrator.api.model.StepView;
import io.deksdenflow.orchestrator.api.model.UpdateProject;
import io.deksdenflow.orchestrator.ops.HealthApi;
import io.deksdenflow.orchestrator.ops.HealthView;
import io.deksdenflow.orchestrator.ops.MetricsApi;
import io.deksdenflow.orchestrator.ops.RoutesMonitor;
import io.deksdenflow.orchestrator.ops.RoutesPage;
import io.deksdenflow.orchestrator.protocol.ProtocolAction;
import io.deksdenflow.orchestrator.protocol.StepAction;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * The REST API in the Camel REST DSL on platform-http, with JSON binding: request bodies are read
 * into the request records of {@code api.model} ({@code CreateProject}, ...), the beans return its
 * view records ({@code ProjectView}, {@code ProtocolActionResponse}, ...), and both are
 * documented (with every error answer and the {@link ErrorBody} schema) in {@code /openapi.json}.
 * Each operation hands off to a {@code direct:} route with a stable id under the {@code api-errors}
 * route configuration; the protocol and step actions get one route each, made from the user actions
 * of {@link ProtocolAction} and {@link StepAction} ({@code protocol-start}, {@code step-run-qa}, ...),
 * so an action path that names no action matches no route and answers the JSON 404.
 */
@Component
public class ApiRoutes extends RouteBuilder {
    /** Exchange property naming the action an action route performs. */
    public static final String ACTION = "action";
    static final String PROJECT_TOKEN = RequestFilter.PROJECT_TOKEN_HEADER;

    // error answers per kind of operation: every one may be refused by the bearer check (401) or fail (500)
    private static final int[] READ = {401, 500};
    private static final int[] READ_ONE = {401, 404, 500};
    private static final int[] LIST = {401, 422, 500};
    private static final int[] LIST_OF_ONE = {401, 404, 422, 500};
    private static final int[] CREATE = {400, 401, 409, 413, 422, 500};
    private static final int[] WRITE = {400, 401, 404, 409, 413, 422, 500};
    private static final Map<Integer, String> REASONS = Map.of(
            400, "bad_request: malformed JSON, or a body that is not a JSON object",
            401, "unauthorized: missing or wrong bearer token or X-Project-Token",
            404, "not_found: no such entity (or route)",
            409, "conflict: illegal transition (details: current_status, allowed_actions, action, entity) or duplicate",
            413, "payload_too_large: request body larger than 1 MiB",
            422, "validation_failed: a field or parameter is invalid (field names it)",
            500, "internal: server fault (logged with the request id)",
            503, "degraded: a dependency is down");

    @Override
    public void configure() {
        restConfiguration()
                .component("platform-http")
                .bindingMode(RestBindingMode.json)
                // an error answer is already the JSON error body (ApiErrorHandler): never bound again
                .skipBindingOnErrorCode(true)
                // requests are read by a strict mapper of their own: an unknown field, a null for a
                // primitive or a scalar of the wrong type is refused (422 naming the field, see ApiError)
                .dataFormatProperty("json.in.useDefaultObjectMapper", "false")
                .dataFormatProperty("json.in.namingStrategy", "SNAKE_CASE")
                .dataFormatProperty("json.in.enableFeatures", "FAIL_ON_UNKNOWN_PROPERTIES,FAIL_ON_NULL_FOR_PRIMITIVES")
                .dataFormatProperty("json.in.disableFeatures", "ALLOW_COERCION_OF_SCALARS")
                // responses are written by the application's ObjectMapper (snake_case, nulls included)
                .apiContextPath("/openapi.json")
                .apiProperty("api.title", "DeksdenFlow Orchestrator API")
                .apiProperty("api.version", "0.1.0")
                .apiProperty("api.description", "Coordinates coding-agent protocols on git repositories");

        RestDefinition health = rest("/health").description("Liveness and dependency checks");
        // binding off: a degraded answer (503) carries the health body, not an error body
        health.get().id("rest-api-health").description("200 ok when every dependency answers, else 503 degraded")
                .bindingMode(RestBindingMode.off).produces("application/json").outType(HealthView.class)
                .responseMessage().code(200).message("ok").responseModel(HealthView.class).endResponseMessage()
                .responseMessage().code(503).message(REASONS.get(503)).responseModel(HealthView.class)
                .endResponseMessage()
                .responseMessage().code(500).message(REASONS.get(500)).responseModel(ErrorBody.class).endResponseMessage()
                .to("direct:api-health");
        api("api-health").bean(HealthApi.class, "health").process("jsonResponse");

        RestDefinition projects = rest("/projects").description("Projects: registered git repositories");
        operation(projects, "post", null, "project-create", "register a git repository (enqueues its setup)",
                CreateProject.class, ProjectView.class, 201, CREATE);
        reply(api("project-create").bean(ProjectApi.class, "create"), 201);
        list(operation(projects, "get", null, "project-list",
                "every project; a token-protected one only as {id, has_project_token, locked} without its token",
                null, ProjectPage.class, 200, LIST), "after");
        reply(api("project-list").bean(ProjectApi.class, "list"), 200);
        operation(projects, "get", "/{id}", "project-get", "one project", null, ProjectView.class, 200, READ_ONE);
        reply(api("project-get").bean(ProjectApi.class, "get"), 200);
        // binding off: a field given as null (cleared) differs from one not given (kept), so ProjectApi reads the body
        operation(projects, "patch", "/{id}", "project-update",
                "change the given settings (422 for any other field; secrets merge, a null value removes a key)",
                UpdateProject.class, ProjectActionResponse.class, 200, WRITE).bindingMode(RestBindingMode.off)
                .consumes("application/json").produces("application/json");
        api("project-update").bean(ProjectApi.class, "update").process("jsonResponse");
        operation(projects, "post", "/{id}/actions/setup", "project-setup", "clone or fetch the repository again",
                null, ProjectActionResponse.class, 202, WRITE);
        reply(api("project-setup").bean(ProjectApi.class, "setup"), 202);
        list(operation(projects, "get", "/{id}/notifications/deliveries", "notification-deliveries",
                "the project's notification delivery log, newest first: status, attempts, last error per (event, channel)",
                null, DeliveryPage.class, 200, LIST_OF_ONE), "before");
        reply(api("notification-deliveries").bean(ProjectApi.class, "deliveries"), 200);
        operation(projects, "post", "/{id}/protocols", "protocol-create", "create a protocol run",
                CreateProtocol.class, ProtocolView.class, 201, WRITE);
        reply(api("protocol-create").bean(ProtocolApi.class, "create"), 201);
        list(operation(projects, "get", "/{id}/protocols", "protocol-list", "the project's protocol runs",
                null, ProtocolPage.class, 200, LIST_OF_ONE), "after");
        reply(api("protocol-list").bean(ProtocolApi.class, "list"), 200);

        RestDefinition protocols = rest("/protocols").description("Protocol runs and their steps");
        operation(protocols, "get", "/{id}", "protocol-get", "one protocol run", null, ProtocolView.class, 200, READ_ONE);
        reply(api("protocol-get").bean(ProtocolApi.class, "get"), 200);
        for (ProtocolAction action : ProtocolAction.values()) {
            if (!action.userFacing()) continue;
            String id = "protocol-" + action.api().replace('_', '-');
            boolean raise = action == ProtocolAction.RAISE_BUDGET;
            boolean reject = action == ProtocolAction.REJECT_PLAN;
            operation(protocols, "post", "/{id}/actions/" + action.api(), id, raise
                            ? "raise a paused protocol's own budget limits and resume it where it stopped"
                            : reject ? "reject the plan awaiting approval: plan again with the feedback (409 after DEKSDENFLOW_REPLAN_ATTEMPTS)"
                            : "protocol action " + action.api() + " (409 when the protocol's status does not allow it)",
                    raise ? RaiseBudget.class : reject ? RejectPlan.class : null, ProtocolActionResponse.class, 202, WRITE);
            reply(api(id).setProperty(ACTION, constant(action)).bean(ProtocolApi.class, "action"), 202);
        }
        list(operation(protocols, "get", "/{id}/events", "protocol-events", "the protocol's events, newest first",
                null, EventPage.class, 200, LIST_OF_ONE), "before");
        reply(api("protocol-events").bean(ProtocolApi.class, "events"), 200);
        operation(protocols, "post", "/{id}/steps", "step-create", "add a step to a protocol run",
                CreateStep.class, StepView.class, 201, WRITE);
        reply(api("step-create").bean(StepApi.class, "create"), 201);
        list(operation(protocols, "get", "/{id}/steps", "step-list", "the protocol's steps",
                null, StepPage.class, 200, LIST_OF_ONE), "after");
        reply(api("step-list").bean(StepApi.class, "list"), 200);

        RestDefinition steps = rest("/steps").description("Step runs");
        operation(steps, "get", "/{id}", "step-get", "one step run", null, StepView.class, 200, READ_ONE);
        reply(api("step-get").bean(StepApi.class, "get"), 200);
        for (StepAction action : StepAction.values()) {
            if (!action.userFacing()) continue;
            String id = "step-" + action.api().replace('_', '-');
            boolean answer = action == StepAction.ANSWER;
            operation(steps, "post", "/{id}/actions/" + action.api(), id, answer
                            ? "answer the question the step's agent asked: the step runs again with the question and the answer"
                            : "step action " + action.api() + " (409 when the step's or protocol's status does not allow it)",
                    answer ? AnswerQuestion.class : null, StepActionResponse.class, 202, WRITE);
            reply(api(id).setProperty(ACTION, constant(action)).bean(StepApi.class, "action"), 202);
        }
        list(operation(steps, "get", "/{id}/runs", "step-runs", "the step's engine runs", null, RunPage.class, 200,
                LIST_OF_ONE), "after");
        reply(api("step-runs").bean(StepApi.class, "runs"), 200);

        RestDefinition runs = rest("/runs").description("Engine invocations");
        operation(runs, "get", "/{id}/log", "run-log", "the last 64 KiB of an engine run's log", null, RunLogView.class,
                200, READ_ONE);
        reply(api("run-log").bean(StepApi.class, "log"), 200);

        RestDefinition events = rest("/events").description("The event log");
        list(operation(events, "get", null, "event-list",
                "one project's events (project_id, with its token), or those of every project the request may see",
                null, EventPage.class, 200, LIST_OF_ONE), "before")
                .param().name("project_id").type(RestParamType.query).dataType("integer").required(false).endParam();
        reply(api("event-list").bean(EventApi.class, "list"), 200);

        RestDefinition queues = rest("/queues").description("The Redis job queue");
        operation(queues, "get", null, "queue-summary", "job counts per state", null, QueueSummary.class, 200, READ);
        reply(api("queue-summary").bean(QueueApi.class, "summary"), 200);
        operation(queues, "get", "/jobs", "queue-jobs", "jobs of one state (those of projects the request may see)",
                null, QueueJobPage.class, 200, LIST)
                .param().name("status").type(RestParamType.query).required(false)
                .description("queued | started | delayed | finished | failed").endParam()
                .param().name("limit").type(RestParamType.query).dataType("integer").required(false).endParam();
        reply(api("queue-jobs").bean(QueueApi.class, "jobs"), 200);

        rest("/metrics").description("Prometheus metrics")
                .get().id("rest-api-metrics").bindingMode(RestBindingMode.off).produces("text/plain")
                .responseMessage().code(200).message("the Prometheus text exposition").endResponseMessage()
                .to("direct:api-metrics");
        api("api-metrics").bean(MetricsApi.class, "scrape").removeHeaders("*", Exchange.HTTP_RESPONSE_CODE)
                .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; version=0.0.4; charset=utf-8"));
        RestDefinition routes = rest("/routes").description("Camel routes and their counters");
        operation(routes, "get", null, "api-routes", "every Camel route with its counters", null,
                RoutesPage.class, 200, READ);
        reply(api("api-routes").bean(RoutesMonitor.class, "routes"), 200);

    }

    /**
     * The end of an API route: its success status, and no request header (Authorization,
     * X-Project-Token, query and path parameters) echoed back on the response.
     */
    private void reply(RouteDefinition route, int status) {
        if (status != 200) route.setHeader(Exchange.HTTP_RESPONSE_CODE, constant(status));
        route.removeHeaders("*", Exchange.HTTP_RESPONSE_CODE);
    }

    /**
     * One operation: its request body type (or none), its answer type with the success code, the
     * error answers with the {@link ErrorBody} schema, the path id and X-Project-Token parameters, and
     * the hand-off to {@code direct:<id>}.
     */
    private RestDefinition operation(RestDefinition rest, String method, String path, String id, String summary,
                                     Class<?> in, Class<?> out, int success, int[] errors) {
        RestDefinition op = (path == null ? rest.verb(method) : rest.verb(method, path))
                .id("rest-" + id).description(summary);
        // outType documents a 200 answer: a 201 or 202 is documented by its response message alone
        if (success == 200) op.outType(out);
        if (in != null) op.type(in);
        if (path != null && path.contains("{id}")) {
            op.param().name("id").type(RestParamType.path).dataType("integer").required(true).endParam();
        }
        if (!id.startsWith("api-")) {
            op.param().name(PROJECT_TOKEN).type(RestParamType.header).required(false)
                    .description("the project's token, when it was registered with project_token (several: comma-separated)")
                    .endParam();
        }
        op.responseMessage().code(success).message(success == 201 ? "created" : success == 202 ? "accepted" : "ok")
                .responseModel(out).endResponseMessage();
        for (int code : errors) {
            op.responseMessage().code(code).message(REASONS.get(code)).responseModel(ErrorBody.class).endResponseMessage();
        }
        return op.to("direct:" + id);
    }

    /** The keyset pagination parameters of a list. */
    private static RestDefinition list(RestDefinition op, String cursor) {
        return op.param().name(cursor).type(RestParamType.query).dataType("integer").required(false)
                .description(cursor.equals("before") ? "newest first: events older than this id"
                        : "oldest first: items after this id").endParam()
                .param().name("limit").type(RestParamType.query).dataType("integer").required(false)
                .description("1..500, default 50").endParam();
    }

    /** A {@code direct:<id>} route with id {@code <id>} under the api-errors configuration. */
    private RouteDefinition api(String id) {
        return from("direct:" + id).routeId(id).routeConfigurationId(ApiErrorsConfiguration.ID)
                .process("requestContext");
    }
}
