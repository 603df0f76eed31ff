package io.deksdenflow.orchestrator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.queue.EmbeddedRedis;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The Camel semantics the webhook routes rely on, shown on a route of the same shape: the key is
 * added before processing; an error handled by a route configuration ({@code api-errors}) in the route
 * itself or in the {@code direct:ci-status} sub-route removes it (the forge may redeliver); success
 * and a filtered ("ignored") delivery keep it; a duplicate skips the block and is flagged. And
 * {@link WebhookDeliveries} marks with one SET NX EX (a 7-day expiry), never a key without expiry.
 */
class WebhookIdempotencyTest {
    private DefaultCamelContext ctx;
    private final MemoryIdempotentRepository repo = new MemoryIdempotentRepository();

    @AfterEach
    void stop() {
        if (ctx != null) ctx.stop();
    }

    private void start() throws Exception {
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration("errors").onException(Exception.class).handled(true)
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(400)).setBody(constant("error"));
            }
        });
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:webhook").routeConfigurationId("errors")
                        .idempotentConsumer(header("key")).idempotentRepository(repo).skipDuplicate(true)
                            .filter(header("step").isEqualTo("fail-here")).throwException(new IllegalStateException("x")).end()
                            .filter(header("step").isEqualTo("ignore")).setBody(constant("ignored")).stop().end()
                            .to("direct:ci-status")
                        .end()
                        .filter(exchangeProperty(Exchange.DUPLICATE_MESSAGE).isEqualTo(true)).setBody(constant("duplicate")).end();
                from("direct:ci-status").routeConfigurationId("errors")
                        .filter(header("step").isEqualTo("fail-ci")).throwException(new IllegalStateException("y")).end()
                        .setBody(constant("accepted"));
            }
        });
        ctx.start();
    }

    private String send(String key, String step) {
        return ctx.createProducerTemplate().request("direct:webhook", e -> {
            e.getMessage().setHeader("key", key);
            e.getMessage().setHeader("step", step);
        }).getMessage().getBody(String.class);
    }

    @Test
    void failuresReleaseTheKeySuccessAndIgnoredKeepIt() throws Exception {
        start();
        assertThat(send("a", "ok")).isEqualTo("accepted");
        assertThat(repo.contains("a")).isTrue();
        assertThat(send("a", "ok")).isEqualTo("duplicate");

        assertThat(send("b", "fail-here")).isEqualTo("error");
        assertThat(repo.contains("b")).isFalse();
        assertThat(send("c", "fail-ci")).isEqualTo("error");
        assertThat(repo.contains("c")).as("an error handled in direct:ci-status releases the key").isFalse();
        assertThat(send("c", "ok")).isEqualTo("accepted");

        assertThat(send("d", "ignore")).isEqualTo("ignored");
        assertThat(repo.contains("d")).isTrue();
        assertThat(send("d", "ignore")).isEqualTo("duplicate");
    }

    @Test
    void theRedisRepositoryMarksAtomicallyWithASevenDayExpiry() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(0)) {
            RedisStandaloneConfiguration conf = new RedisStandaloneConfiguration("127.0.0.1", redis.port());
            conf.setPassword(redis.password());
            LettuceConnectionFactory factory = new LettuceConnectionFactory(conf);
            factory.afterPropertiesSet();
            try {
                StringRedisTemplate template = new StringRedisTemplate(factory);
                WebhookDeliveries deliveries = new WebhookDeliveries(template);
                deliveries.start();
                String key = WebhookDeliveries.key("github", UUID.randomUUID().toString(), new byte[0]);
                assertThat(deliveries.add(key)).isTrue();
                assertThat(deliveries.add(key)).isFalse();
                Long ttl = template.getExpire(WebhookDeliveries.NAME + ":" + key);
                assertThat(ttl).isBetween(WebhookDeliveries.KEEP.toSeconds() - 60, WebhookDeliveries.KEEP.toSeconds());
                assertThat(deliveries.remove(key)).isTrue();
                assertThat(deliveries.add(key)).isTrue();
                assertThat(WebhookDeliveries.key("gitlab", null, "x".getBytes()))
                        .isEqualTo("gitlab:sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
            } finally {
                factory.destroy();
            }
        }
    }
}
