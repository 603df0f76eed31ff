package io.deksdenflow.orchestrator.customize;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.events.Event;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Any number of YAML routes subscribe to recorded events, each in its own file: two routes on
 * {@code direct:on-event-a} and {@code direct:on-event-b} (and the legacy {@code direct:on-event}) all start and
 * each gets every event, its own copy; a failing one is counted and the others still get it. A Spring Boot
 * application with Camel, the real application.yml, {@link CustomRoutesDir} and {@link OnEventTap}.
 */
@SlowTest
class OnEventSubscribersTest {

    /** Not a @SpringBootConfiguration: the @SpringBootTest classes of this package must not find it. */
    @EnableAutoConfiguration(exclude = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
            RedisAutoConfiguration.class})
    @EnableConfigurationProperties(CustomizeSettings.class)
    @Import({CustomRoutesDir.class, OnEventTap.class})
    static class CamelAndTap {
    }

    static String route(String id, String from, String step) {
        return """
                - route:
                    id: %s
                    from:
                      uri: %s
                      steps:
                        - setHeader:
                            name: mutatedBy
                            constant: %s
                        - setBody:
                            simple: "${body[event_type]} ${body[id]}"
                        %s
                """.formatted(id, from, id, step);
    }

    @Test
    void everySubscriberRouteGetsEveryEvent(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), route("sub-a", "direct:on-event-a", "- to: seda:got-a"));
        Files.writeString(dir.resolve("b.yaml"), route("sub-b", "direct:on-event-b", "- to: seda:got-b"));
        Files.writeString(dir.resolve("legacy.yaml"), route("sub-legacy", "direct:on-event", "- to: seda:got-legacy"));
        Files.writeString(dir.resolve("broken.yaml"), route("sub-broken", "direct:on-event-0-broken",
                "- throwException:\n                            exceptionType: java.lang.IllegalStateException\n"
                        + "                            message: broken subscriber"));
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(CamelAndTap.class)
                .web(WebApplicationType.NONE)
                .run("--deksdenflow.routes-dir=" + dir, "--camel.springboot.main-run-controller=false",
                        "--camel.main.jmx-enabled=false")) {
            OnEventTap tap = ctx.getBean(OnEventTap.class);
            assertThat(tap.active()).isTrue();
            assertThat(tap.subscribers()).containsExactly("direct:on-event", "direct:on-event-0-broken",
                    "direct:on-event-a", "direct:on-event-b");
            MeterRegistry meters = ctx.getBean(MeterRegistry.class);
            double failures = meters.get(OnEventTap.FAILURES).counter().count();

            tap.onEvent(new Event(41, 1, 2L, null, "protocol_completed", "done", Map.of("k", "v"), 0));
            tap.onEvent(new Event(42, 1, 2L, null, "ci_failed", "red", Map.of(), 0));

            ConsumerTemplate consumer = ctx.getBean(CamelContext.class).createConsumerTemplate();
            for (String queue : new String[] {"seda:got-a", "seda:got-b", "seda:got-legacy"}) {
                assertThat(consumer.receiveBody(queue, 10_000, String.class)).as(queue).isEqualTo("protocol_completed 41");
                assertThat(consumer.receiveBody(queue, 10_000, String.class)).as(queue).isEqualTo("ci_failed 42");
            }
            assertThat(meters.get(OnEventTap.FAILURES).counter().count()).isEqualTo(failures + 2);
        }
    }
}
