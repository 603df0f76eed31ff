package io.deksdenflow.orchestrator.ops;

import java.util.List;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Metric route labels come from the REST definitions; anything else is bounded. */
class RouteTemplatesTest {

    @Test
    void labelsAreTheRestTemplatesAndStayBounded() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    restConfiguration().apiContextPath("/openapi.json");
                    rest("/projects").get().to("log:a").get("/{id}").to("log:a")
                            .post("/{id}/actions/setup").to("log:a");
                    rest("/queues").get("/jobs").to("log:a");
                }
            });
            RouteTemplates t = new RouteTemplates(camel, List.of("github", "gitlab"));
            assertThat(t.of("/projects")).isEqualTo("/projects");
            assertThat(t.of("/projects/")).isEqualTo("/projects");
            assertThat(t.of("/projects/42")).isEqualTo("/projects/{id}");
            assertThat(t.of("/projects/42/actions/setup")).isEqualTo("/projects/{id}/actions/setup");
            assertThat(t.of("/projects/42/actions/explode")).isEqualTo("unmatched");
            assertThat(t.of("/queues/jobs")).isEqualTo("/queues/jobs");
            assertThat(t.of("/openapi.json")).isEqualTo("/openapi.json");
            assertThat(t.of("/events/stream")).isEqualTo("/events/stream");
            assertThat(t.of("/webhooks/github")).isEqualTo("/webhooks/github");
            assertThat(t.of("/webhooks/gitlab")).isEqualTo("/webhooks/gitlab");
            assertThat(t.of("/webhooks/jenkins")).isEqualTo("/webhooks/{custom}");
            assertThat(t.of("/console")).isEqualTo("/console/**");
            assertThat(t.of("/console/app.js")).isEqualTo("/console/**");
            assertThat(t.of("/no/such/" + System.nanoTime())).isEqualTo("unmatched");
            assertThat(t.of("")).isEqualTo("unmatched");
            assertThat(t.of(null)).isEqualTo("unmatched");

            // a REST definition added later (a YAML route, say) is picked up
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    rest("/extra").get("/{id}").to("log:a");
                }
            });
            assertThat(t.of("/extra/7")).isEqualTo("/extra/{id}");
        }
    }
}
