package io.deksdenflow.orchestrator.webhook;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import io.deksdenflow.orchestrator.forge.gitea.GiteaSettings;
import io.deksdenflow.orchestrator.forge.gitea.GiteaForge;
import io.deksdenflow.orchestrator.forge.gitlab.GitlabSettings;
import io.deksdenflow.orchestrator.forge.gitlab.GitlabForge;
import io.deksdenflow.orchestrator.forge.github.GithubSettings;
import io.deksdenflow.orchestrator.forge.ForgeHttp;
import io.deksdenflow.orchestrator.forge.Forges;
import io.deksdenflow.orchestrator.forge.CiStatus;
import io.deksdenflow.orchestrator.forge.github.GithubForge;
import static io.deksdenflow.orchestrator.webhook.WebhookEndpoints.CI_STATUS_ROUTE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.http.HttpRouteBeans;
import io.deksdenflow.orchestrator.project.ProjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

/**
 * The GitHub and GitLab webhook routes with Camel's test support, without the service: a Spring context of the
 * webhook routes, their step beans and the shared web-route beans; {@code platform-http} replaced by
 * {@code direct:} ({@link AdviceWith}), Redis by {@link RecordingDeliveries}, the database-backed
 * {@link CiStatusService} and {@link ProjectStore} by mocks, and a {@code mock:ci-status} woven in at the start
 * of {@code ci-status}. WebhookHttpTest runs the same routes over HTTP with Redis in the whole service.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = {CamelAutoConfiguration.class, JacksonAutoConfiguration.class, HttpRouteBeans.class,
        WebhookRoutes.class, WebhookReceiver.class, WebhookAuthenticator.class, WebhookMetrics.class, CiStatusApi.class,
        Forges.class, ForgeHttp.class, GithubForge.class, GitlabForge.class, GiteaForge.class, WebhookRoutesTest.Doubles.class},
        properties = {"camel.main.routes-include-pattern=false", "camel.springboot.main-run-controller=false",
                "deksdenflow.webhook-token=" + WebhookRoutesTest.SECRET})
class WebhookRoutesTest {
    static final String SECRET = "route-test-secret";
    static final String GITHUB_IN = "direct:test-webhook-github";
    static final String GITLAB_IN = "direct:test-webhook-gitlab";
    static final ObjectMapper JSON = new ObjectMapper();

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({GithubSettings.class, GitlabSettings.class, GiteaSettings.class, WebhookSettings.class})
    static class Doubles {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        RecordingDeliveries webhookDeliveries() {
            return new RecordingDeliveries();
        }
    }

    @MockitoBean
    ProjectStore projects;
    @MockitoBean
    CiStatusService service;
    @MockitoBean
    IssueIntake intake;
    @MockitoBean
    CommentCommands commands;
    @MockitoBean
    BaseSyncIntake baseSyncs;

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate template;
    @Autowired
    RecordingDeliveries deliveries;
    @Autowired
    MeterRegistry meters;
    @EndpointInject("mock:ci-status")
    MockEndpoint ciStatus;

    @BeforeEach
    void adviseOnceAndReset() throws Exception {
        if (!camel.getStatus().isStarted()) { // the context is shared by the tests of this class: advise it once
            AdviceWith.adviceWith(camel, WebhookEndpoints.routeId("github"), a -> a.replaceFromWith(GITHUB_IN));
            AdviceWith.adviceWith(camel, WebhookEndpoints.routeId("gitlab"), a -> a.replaceFromWith(GITLAB_IN));
            AdviceWith.adviceWith(camel, WebhookEndpoints.routeId("gitea"), a -> a.replaceFromWith("direct:gitea-in"));
            AdviceWith.adviceWith(camel, CI_STATUS_ROUTE_ID, a -> a.weaveAddFirst().to("mock:ci-status"));
            camel.start();
        }
        MockEndpoint.resetMocks(camel);
        deliveries.clear();
        meters.clear();
        when(projects.all()).thenReturn(List.of());
        when(service.apply(any(), any(), any())).thenReturn(Map.of("status", "accepted", "results", List.of()));
    }

    @Test
    void anIssueEventGoesToTheIntakeNotToCiStatus() throws Exception {
        byte[] body = JSON.writeValueAsBytes(Map.of("action", "opened",
                "issue", Map.of("number", 4, "title", "Add login", "labels", List.of(Map.of("name", "agent"))),
                "repository", Map.of("full_name", "acme/demo")));
        when(intake.accept(any())).thenAnswer(inv -> {
            inv.getArgument(0, Exchange.class).getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
            return Map.of("status", "accepted", "results", List.of());
        });
        ciStatus.expectedMessageCount(0);

        Exchange answer = github(UUID.randomUUID().toString(), "issues", body);

        assertThat(code(answer)).isEqualTo(202);
        assertThat(answer(answer).path("status").asText()).isEqualTo("accepted");
        verify(intake).accept(any());
        ciStatus.assertIsSatisfied();
    }

    @Test
    void aDuplicateDeliveryIsProcessedOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] body = fixture("workflow_run-completed-success.json");
        ciStatus.expectedMessageCount(1);

        Exchange first = github(id, "workflow_run", body);
        Exchange second = github(id, "workflow_run", body);

        assertThat(code(first)).isEqualTo(202);
        assertThat(answer(first).path("status").asText()).isEqualTo("accepted");
        assertThat(code(second)).isEqualTo(200);
        assertThat(answer(second).path("status").asText()).isEqualTo("duplicate");
        ciStatus.assertIsSatisfied();
        CiStatus status = ciStatus.getReceivedExchanges().get(0).getIn().getBody(CiStatus.class);
        assertThat(status.branch()).isEqualTo("0001-add-login");
        assertThat(status.provider()).isEqualTo("github");
        assertThat(status.headSha()).isEqualTo("acb5820ced9479c074f688cc328bf03f341a511d");
        verify(service, times(1)).apply(any(), eq(Set.of(-1L)), eq(null));
        assertThat(deliveries.keys).containsExactly("github:" + id);
        assertThat(deliveries.calls).noneMatch(c -> c.startsWith("remove"));
        assertThat(count("github", "accepted")).isEqualTo(1);
        assertThat(count("github", "duplicate")).isEqualTo(1);
    }

    @Test
    void aDuplicateGitlabDeliveryIsKnownByItsIdempotencyKey() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] body = "{\"object_kind\":\"ping\"}".getBytes();
        Exchange first = template.request(GITLAB_IN, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeader("X-Gitlab-Token", SECRET);
            e.getIn().setHeader("X-Gitlab-Event", "System Hook");
            e.getIn().setHeader("Idempotency-Key", id);
        });
        Exchange second = template.request(GITLAB_IN, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeader("X-Gitlab-Token", SECRET);
            e.getIn().setHeader("X-Gitlab-Event", "System Hook");
            e.getIn().setHeader("Idempotency-Key", id);
        });

        assertThat(code(first)).isEqualTo(202);
        assertThat(answer(first).path("status").asText()).isEqualTo("ignored");
        assertThat(code(second)).isEqualTo(200);
        assertThat(answer(second).path("status").asText()).isEqualTo("duplicate");
        assertThat(deliveries.keys).containsExactly("gitlab:" + id);
        assertThat(ciStatus.getReceivedCounter()).isZero();
    }

    @Test
    void anIgnoredEventTypeDoesNothingDownstream() throws Exception {
        Exchange ping = github(UUID.randomUUID().toString(), "ping", fixture("ping.json"));
        // an event type the translator has no case for, with a payload it would otherwise act on
        Exchange issues = github(UUID.randomUUID().toString(), "issues", fixture("workflow_run-completed-success.json"));

        for (Exchange answer : List.of(ping, issues)) {
            assertThat(code(answer)).isEqualTo(202);
            assertThat(answer(answer).path("status").asText()).isEqualTo("ignored");
            assertThat(answer(answer).path("reason").asText()).contains("carries no CI status");
        }
        assertThat(ciStatus.getReceivedCounter()).isZero(); // direct: is synchronous, nothing can arrive later
        verify(service, never()).apply(any(), any(), any());
        assertThat(count("github", "ignored")).isEqualTo(2);
        assertThat(count("github", "accepted")).isZero();
    }

    @Test
    void aDownstreamFailureReleasesTheKeySoTheRedeliveryIsProcessed() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] body = fixture("workflow_run-completed-failure.json");
        when(service.apply(any(), any(), any()))
                .thenThrow(new IllegalStateException("database is down"))
                .thenReturn(Map.of("status", "accepted", "results", List.of()));
        ciStatus.expectedMessageCount(2);

        Exchange failed = github(id, "workflow_run", body);

        assertThat(code(failed)).isEqualTo(500);
        assertThat(answer(failed).path("error").path("code").asText()).isEqualTo("internal");
        assertThat(deliveries.calls).contains("add github:" + id, "remove github:" + id);
        assertThat(deliveries.keys).isEmpty();

        Exchange redelivered = github(id, "workflow_run", body);

        assertThat(code(redelivered)).isEqualTo(202);
        assertThat(answer(redelivered).path("status").asText()).isEqualTo("accepted");
        ciStatus.assertIsSatisfied();
        verify(service, times(2)).apply(any(), any(), any());
        assertThat(deliveries.keys).containsExactly("github:" + id);
        assertThat(count("github", "accepted")).isEqualTo(1);
        assertThat(count("github", "duplicate")).isZero();
    }

    private Exchange github(String deliveryId, String event, byte[] body) {
        return template.request(GITHUB_IN, e -> {
            e.getIn().setBody(body);
            e.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            e.getIn().setHeader("X-GitHub-Delivery", deliveryId);
            e.getIn().setHeader("X-GitHub-Event", event);
            e.getIn().setHeader("X-Hub-Signature-256", GithubForge.signature(SECRET, body));
        });
    }

    private static int code(Exchange answer) {
        assertThat(answer.getException()).isNull();
        return answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static JsonNode answer(Exchange answer) throws Exception {
        return JSON.readTree(answer.getMessage().getBody(byte[].class));
    }

    private double count(String provider, String outcome) {
        var counter = meters.find(WebhookMetrics.NAME).tag("provider", provider).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = WebhookRoutesTest.class.getResourceAsStream("/webhooks/github/" + name)) {
            return in.readAllBytes();
        }
    }
}
