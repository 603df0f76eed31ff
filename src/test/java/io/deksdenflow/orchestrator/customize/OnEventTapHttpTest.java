package io.deksdenflow.orchestrator.customize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deksdenflow.orchestrator.testsupport.ApiTestBase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;

/**
 * The direct:on-event tap: a slow consumer (held on a gate, at most 30 s) never delays the API; the
 * queue is bounded (size 1 here) and drops are counted; a failing consumer is counted and the tap
 * carries on. Ordering is asserted with latches, never with wall-clock thresholds.
 */
@TestPropertySource(properties = "deksdenflow.event-tap-queue-size=1")
class OnEventTapHttpTest extends ApiTestBase {

    static final CopyOnWriteArrayList<Map<String, Object>> received = new CopyOnWriteArrayList<>();
    static volatile CountDownLatch gate = new CountDownLatch(0);
    static volatile CountDownLatch started = new CountDownLatch(1);
    static final AtomicBoolean failNext = new AtomicBoolean();

    @TestConfiguration
    static class Consumer {
        @Bean
        RouteBuilder onEventConsumer() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(OnEventTap.ENDPOINT).routeId("test-on-event").process(e -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> body = e.getMessage().getBody(Map.class);
                        started.countDown();
                        if (failNext.getAndSet(false)) {
                            throw new IllegalStateException("consumer failure for the test");
                        }
                        gate.await(30, TimeUnit.SECONDS);
                        received.add(body);
                    });
                }
            };
        }
    }

    @Autowired
    OnEventTap tap;
    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void reset() {
        gate.countDown();
        failNext.set(false);
    }

    private long createProject() {
        return createProject(http(), Map.of()).get("id").asLong();
    }

    /** Waits until the consumer handled a fresh marker event: everything before it is done. */
    private void quiesce() {
        long marker = createProject();
        await().atMost(Duration.ofSeconds(30)).until(() -> receivedFor(marker));
    }

    private boolean receivedFor(long projectId) {
        return received.stream().anyMatch(m -> Long.valueOf(projectId).equals(m.get("project_id")));
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    @Test
    void aSlowConsumerNeverDelaysTheApiAndAFullQueueDrops() throws Exception {
        assertThat(tap.active()).isTrue();
        quiesce();
        gate = new CountDownLatch(1);
        started = new CountDownLatch(1);
        double dropped = counter(OnEventTap.DROPPED);

        long first = createProject();
        // the consumer got the event and is still busy with it, while the request already answered
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(receivedFor(first)).isFalse();

        long second = createProject();   // queued (size 1)
        long third = createProject();    // queue full: dropped and counted
        assertThat(receivedFor(first)).as("the consumer is still on the first event").isFalse();
        assertThat(counter(OnEventTap.DROPPED)).isEqualTo(dropped + 1);

        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> receivedFor(first) && receivedFor(second));
        assertThat(receivedFor(third)).isFalse();

        Map<String, Object> event = received.stream()
                .filter(m -> Long.valueOf(first).equals(m.get("project_id"))).findFirst().orElseThrow();
        assertThat(event).containsKeys("id", "project_id", "protocol_run_id", "step_run_id", "event_type", "message",
                "metadata", "created_at");
        assertThat(event.get("event_type")).isEqualTo("project_created");
        assertThat(Instant.parse((String) event.get("created_at"))).isNotNull();
        assertThat(event.get("metadata")).isInstanceOf(Map.class);
    }

    @Test
    void aFailingConsumerIsCountedAndTheTapCarriesOn() {
        double failures = counter(OnEventTap.FAILURES);
        quiesce();
        failNext.set(true);
        long failed = createProject();
        await().atMost(Duration.ofSeconds(30)).until(() -> counter(OnEventTap.FAILURES) == failures + 1);
        long next = createProject();
        await().atMost(Duration.ofSeconds(30)).until(() -> receivedFor(next));
        assertThat(receivedFor(failed)).isFalse();
    }
}
