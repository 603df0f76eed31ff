package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.forge.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The example YAML routes under routes/ parse with camel-yaml-dsl, carry ids, and behave: the
 * Jenkins route is driven through a replaced {@code from} (platform-http needs the web server), the
 * Slack route with its HTTP call replaced by a mock.
 */
class YamlRoutesParseTest {

    private DefaultCamelContext ctx;

    @AfterEach
    void stop() {
        if (ctx != null) {
            ctx.stop();
        }
    }

    private DefaultCamelContext load(Map<String, String> props, String... files) throws Exception {
        ctx = new DefaultCamelContext();
        Properties p = new Properties();
        p.putAll(props);
        ctx.getPropertiesComponent().setOverrideProperties(p);
        for (String f : files) {
            PluginHelper.getRoutesLoader(ctx).loadRoutes(ResourceHelper.resolveResource(ctx, "file:routes/" + f));
        }
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ci-status").routeId("test-ci-status").to("mock:ci-status");
            }
        });
        return ctx;
    }

    @Test
    void everyRouteFileParsesAndHasIds() throws Exception {
        load(Map.of(), "jenkins-ci-status.yaml", "slack-notify.yaml");
        List<RouteDefinition> defs = ((ModelCamelContext) ctx).getRouteDefinitions();
        assertThat(defs).extracting(RouteDefinition::getRouteId)
                .contains("webhook-jenkins", "notify-slack");
        assertThat(defs).allSatisfy(d -> assertThat(d.getRouteId()).isNotBlank());
        RouteDefinition jenkins = ((ModelCamelContext) ctx).getRouteDefinition("webhook-jenkins");
        assertThat(jenkins.getInput().getEndpointUri()).startsWith("platform-http:/webhooks/jenkins");
        RouteDefinition slack = ((ModelCamelContext) ctx).getRouteDefinition("notify-slack");
        assertThat(slack.getInput().getEndpointUri()).isEqualTo("direct:on-event-slack");
    }

    private MockEndpoint jenkins(String token) throws Exception {
        load(token == null ? Map.of() : Map.of("DEKSDENFLOW_JENKINS_TOKEN", token), "jenkins-ci-status.yaml");
        AdviceWith.adviceWith(ctx, "webhook-jenkins", a -> a.replaceFromWith("direct:jenkins"));
        ctx.start();
        return ctx.getEndpoint("mock:ci-status", MockEndpoint.class);
    }

    private Exchange post(String body, Map<String, Object> headers) {
        return ctx.createProducerTemplate().request("direct:jenkins", e -> {
            e.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
            e.getMessage().setHeaders(new LinkedHashMap<>(headers));
        });
    }

    private static JsonNode sent(MockEndpoint mock, int i) {
        return Fixtures.parse(mock.getReceivedExchanges().get(i).getMessage().getBody(String.class));
    }

    @Test
    void jenkinsNotificationPluginPayload() throws Exception {
        MockEndpoint mock = jenkins("jt");
        String body = """
                {"name": "demo-ci", "url": "job/demo-ci/",
                 "build": {"full_url": "https://jenkins.example.com/job/demo-ci/5/", "number": 5,
                           "phase": "FINALIZED", "status": "UNSTABLE", "url": "job/demo-ci/5/",
                           "scm": {"url": "https://github.com/acme/demo.git", "branch": "origin/0001-add-login",
                                   "commit": "c6d2f1b"}, "log": ""}}""";
        Exchange ex = post(body, Map.of("X-Jenkins-Token", "jt", "protocol_run_id", "12", "Authorization", "x"));
        assertThat(ex.getException()).isNull();
        assertThat(mock.getReceivedCounter()).isEqualTo(1);
        JsonNode json = sent(mock, 0);
        assertThat(json.path("provider").asText()).isEqualTo("jenkins");
        assertThat(json.path("status").asText()).isEqualTo("failure");
        assertThat(json.path("branch").asText()).isEqualTo("origin/0001-add-login");
        assertThat(json.path("protocol_run_id").asText()).isEqualTo("12");
        assertThat(json.path("url").asText()).isEqualTo("https://jenkins.example.com/job/demo-ci/5/");
        assertThat(json.path("check_name").asText()).isEqualTo("demo-ci");
        assertThat(json.path("head_sha").asText()).isEqualTo("c6d2f1b");
        assertThat(json.path("summary").asText()).isEqualTo("Jenkins demo-ci #5 FINALIZED UNSTABLE");
        assertThat(mock.getReceivedExchanges().get(0).getMessage().getHeaders())
                .doesNotContainKeys("X-Jenkins-Token", "Authorization");

        CiStatus s = CiStatus.validated(Fixtures.MAPPER.treeToValue(json, CiStatus.class));
        assertThat(s.protocolRunId()).isEqualTo(12L);
        assertThat(s.branchCandidates()).contains("0001-add-login");
    }

    @Test
    void jenkinsPhasesAndStatuses() throws Exception {
        MockEndpoint mock = jenkins("jt");
        String[][] cases = {
            {"STARTED", "", "running"}, {"QUEUED", "", "running"}, {"COMPLETED", "SUCCESS", "success"},
            {"FINALIZED", "FAILURE", "failure"}, {"FINALIZED", "ABORTED", "failure"},
            {"FINALIZED", "NOT_BUILT", "running"},
        };
        for (String[] c : cases) {
            String body = "{\"name\":\"j\",\"build\":{\"number\":1,\"phase\":\"" + c[0] + "\",\"status\":\"" + c[1]
                    + "\",\"scm\":{\"branch\":\"0002-x\"}}}";
            post(body, Map.of("X-Jenkins-Token", "jt"));
        }
        for (int i = 0; i < cases.length; i++) {
            JsonNode json = sent(mock, i);
            assertThat(json.path("status").asText()).as(String.join("/", cases[i])).isEqualTo(cases[i][2]);
            assertThat(json.has("protocol_run_id")).isFalse();
            CiStatus.validated(Fixtures.MAPPER.treeToValue(json, CiStatus.class));
        }
    }

    @Test
    void jenkinsFlatPayloadAndNoScm() throws Exception {
        MockEndpoint mock = jenkins("jt");
        post("{\"branch\":\"feature/0003-y\",\"status\":\"success\",\"url\":\"https://j/1\",\"name\":\"build\",\"commit\":\"abc\"}",
                Map.of("X-Jenkins-Token", "jt"));
        post("{\"name\":\"j\",\"build\":{\"number\":2,\"phase\":\"FINALIZED\",\"status\":\"SUCCESS\"}}",
                Map.of("X-Jenkins-Token", "jt", "protocol_run_id", "9"));
        JsonNode flat = sent(mock, 0);
        assertThat(flat.path("status").asText()).isEqualTo("success");
        assertThat(flat.path("branch").asText()).isEqualTo("feature/0003-y");
        assertThat(flat.path("head_sha").asText()).isEqualTo("abc");
        JsonNode noScm = sent(mock, 1);
        assertThat(noScm.path("status").asText()).isEqualTo("success");
        assertThat(CiStatus.validated(Fixtures.MAPPER.treeToValue(noScm, CiStatus.class)).protocolRunId()).isEqualTo(9L);
    }

    @Test
    void jenkinsRejectsWrongMissingOrUnconfiguredToken() throws Exception {
        MockEndpoint mock = jenkins("jt");
        for (Map<String, Object> h : List.<Map<String, Object>>of(Map.of(), Map.of("X-Jenkins-Token", "nope"),
                Map.of("X-Jenkins-Token", ""))) {
            Exchange ex = post("{\"status\":\"success\",\"branch\":\"b\"}", h);
            assertThat(ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(401);
            assertThat(ex.getMessage().getBody(String.class)).contains("unauthorized");
        }
        assertThat(mock.getReceivedCounter()).isZero();
    }

    @Test
    void jenkinsWithoutConfiguredTokenRefusesEverything() throws Exception {
        MockEndpoint mock = jenkins(null);
        Exchange ex = post("{\"status\":\"success\",\"branch\":\"b\"}", Map.of("X-Jenkins-Token", ""));
        assertThat(ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).isEqualTo(401);
        assertThat(mock.getReceivedCounter()).isZero();
    }

    @Test
    void jenkinsBadJsonIs400() throws Exception {
        MockEndpoint mock = jenkins("jt");
        for (String bad : List.of("not json", "[1,2]", "")) {
            Exchange ex = post(bad, Map.of("X-Jenkins-Token", "jt"));
            assertThat(ex.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class)).as(bad).isEqualTo(400);
        }
        assertThat(mock.getReceivedCounter()).isZero();
    }

    private MockEndpoint slack(String url) throws Exception {
        load(url == null ? Map.of() : Map.of("DEKSDENFLOW_SLACK_WEBHOOK_URL", url), "slack-notify.yaml");
        AdviceWith.adviceWith(ctx, "notify-slack",
                a -> a.weaveByType(ToDynamicDefinition.class).replace().to("mock:slack"));
        ctx.start();
        return ctx.getEndpoint("mock:slack", MockEndpoint.class);
    }

    private static Map<String, Object> event(String type, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", 77L);
        e.put("project_id", 1L);
        e.put("protocol_run_id", 3L);
        e.put("step_run_id", null);
        e.put("event_type", type);
        e.put("message", message);
        e.put("metadata", Map.of("k", "v"));
        e.put("created_at", "2026-11-24T10:00:00Z");
        return e;
    }

    @Test
    void slackPostsOnlyNotableEventsAsJson() throws Exception {
        MockEndpoint mock = slack("https://hooks.slack.example/services/T/B/X");
        var producer = ctx.createProducerTemplate();
        producer.sendBody("direct:on-event-slack", event("step_started", "ignored"));
        producer.sendBody("direct:on-event-slack", event("ci_failed", "CI \"failed\" on ${branch}\n<b>x</b>"));
        producer.sendBody("direct:on-event-slack", event("protocol_completed", "done"));
        producer.sendBody("direct:on-event-slack", event("protocol_completed_extra", "ignored"));
        assertThat(mock.getReceivedCounter()).isEqualTo(2);
        Exchange first = mock.getReceivedExchanges().get(0);
        JsonNode json = Fixtures.parse(first.getMessage().getBody(String.class));
        assertThat(json.size()).isEqualTo(1);
        assertThat(json.path("text").asText())
                .isEqualTo("[ci_failed] CI \"failed\" on ${branch}\n<b>x</b> (project 1, protocol run 3, event 77)");
        assertThat(first.getMessage().getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(Fixtures.parse(mock.getReceivedExchanges().get(1).getMessage().getBody(String.class))
                .path("text").asText()).startsWith("[protocol_completed] done");
    }

    @Test
    void slackIdleWithoutUrl() throws Exception {
        MockEndpoint mock = slack(null);
        ctx.createProducerTemplate().sendBody("direct:on-event-slack", event("ci_failed", "x"));
        assertThat(mock.getReceivedCounter()).isZero();
    }

    @Test
    void slackDynamicEndpointCarriesPostAndNoThrow() throws Exception {
        load(Map.of(), "slack-notify.yaml");
        RouteDefinition slack = ((ModelCamelContext) ctx).getRouteDefinition("notify-slack");
        List<ToDynamicDefinition> toDs = new java.util.ArrayList<>();
        collect(slack.getOutputs(), toDs);
        assertThat(toDs).hasSize(1);
        assertThat(toDs.get(0).toString()).contains("toD[${exchangeProperty.slackUrl}")
                .contains("httpMethod=POST", "throwExceptionOnFailure=false");
    }

    private static void collect(List<? extends org.apache.camel.model.ProcessorDefinition<?>> outputs,
            List<ToDynamicDefinition> found) {
        for (var p : outputs) {
            if (p instanceof ToDynamicDefinition t) {
                found.add(t);
            }
            collect(p.getOutputs(), found);
        }
    }
}
