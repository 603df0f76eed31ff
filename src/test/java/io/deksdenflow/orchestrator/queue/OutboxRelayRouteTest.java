package io.deksdenflow.orchestrator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deksdenflow.orchestrator.testsupport.QueueTestApp;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.sql.SqlEndpoint;
import org.apache.camel.processor.SendProcessor;
import org.apache.camel.spi.RouteIdAware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Route {@code queue-outbox-relay} reads and marks outbox rows through its camel-sql producer
 * endpoints: the endpoints are the route's steps, a pending row's job reaches Redis and the row is
 * marked sent, more than one batch is relayed by one nudge, and a batch of unreadable rows alone
 * marks nothing sent without failing the pass. Run on SQLite ({@link SqliteOutboxRelayRouteTest}) and
 * PostgreSQL ({@link PostgresOutboxRelayRouteTest}).
 */
@SlowTest
@SpringBootTest(classes = QueueTestApp.class, properties = "spring.autoconfigure.exclude=")
@TestPropertySource(locations = "classpath:queue-test.properties")
@DirtiesContext // the context's workers and relay stop with the class's Redis
abstract class OutboxRelayRouteTest {
    static EmbeddedRedis server;

    static String startRedis() {
        server = EmbeddedRedis.start(0);
        return server.url();
    }

    @AfterAll
    static void stopRedis() {
        server.stop();
    }

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;
    @Autowired OutboxStore outbox;
    @Autowired OutboxRelay relay;
    @Autowired RedisJobQueue queue;
    @Autowired DataSource dataSource;

    NamedParameterJdbcTemplate jdbc() {
        return new NamedParameterJdbcTemplate(dataSource);
    }

    /** Only the nudges of the test wake the relay. */
    @BeforeEach
    void stopPoll() throws Exception {
        camel.getRouteController().stopRoute(OutboxRoutes.POLL_ROUTE_ID);
    }

    @AfterEach
    void startPoll() throws Exception {
        camel.getRouteController().startRoute(OutboxRoutes.POLL_ROUTE_ID);
    }

    Job add(String tag) {
        Job job = Job.create(JobType.NOOP_JOB, 1L, 2L, null, 3, tag, System.currentTimeMillis());
        outbox.add(job);
        return job;
    }

    Map<String, Object> row(String jobId) {
        return jdbc().queryForMap("SELECT status, sent_at FROM outbox WHERE job_id = :id", Map.of("id", jobId));
    }

    long count(String status) {
        return jdbc().queryForObject("SELECT COUNT(*) FROM outbox WHERE status = :s", Map.of("s", status), Long.class);
    }

    /** The route's steps are the very endpoints of the constants (the registry answers one endpoint per URI). */
    @Test
    void theRelayReadsAndMarksThroughSqlEndpoints() {
        assertThat(sqlStep("outbox-read-pending").getQuery()).startsWith("SELECT ").contains(" FROM outbox ");
        assertThat(sqlStep("outbox-read-pending").getOutputType().name()).isEqualTo("SelectList");
        assertThat(sqlStep("outbox-mark-sent").getQuery()).startsWith("UPDATE outbox ");
        assertThat(camel.getEndpoint(OutboxStore.READ_PENDING)).isSameAs(sqlStep("outbox-read-pending"));
        assertThat(camel.getEndpoint(OutboxStore.MARK_SENT)).isSameAs(sqlStep("outbox-mark-sent"));
    }

    @Test
    void aPendingRowReachesRedisAndIsMarkedSent() {
        long before = System.currentTimeMillis();
        Job job = add("one");
        assertThat(row(job.jobId())).containsEntry("status", "pending");
        producer.sendBody(OutboxRoutes.NUDGE, null);

        await().atMost(Duration.ofSeconds(30)).until(() -> "sent".equals(row(job.jobId()).get("status")));
        assertThat(((Number) row(job.jobId()).get("sent_at")).longValue()).isGreaterThanOrEqualTo(before);
        assertThat(queue.find(job.jobId())).isPresent();
        assertThat(relay.failing()).isFalse();
    }

    @Test
    void oneNudgeRelaysBatchAfterBatchUntilOneComesBackShort() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 2 * OutboxStore.BATCH + 7; i++) jobs.add(add("many"));
        producer.sendBody(OutboxRoutes.NUDGE, null);

        await().atMost(Duration.ofSeconds(60)).until(() -> count("pending") == 0);
        for (Job job : List.of(jobs.get(0), jobs.get(OutboxStore.BATCH), jobs.get(jobs.size() - 1))) {
            assertThat(row(job.jobId())).containsEntry("status", "sent");
            assertThat(queue.find(job.jobId())).as(job.jobId()).isPresent();
        }
    }

    @Test
    void aBatchOfUnreadableRowsAloneMarksNothingSentAndDoesNotFail() {
        jdbc().update("INSERT INTO outbox (job_id, job_type, payload, status, created_at) "
                + "VALUES ('garbled', 'noop_job', 'not json', 'pending', 1)", Map.of());
        producer.sendBody(OutboxRoutes.NUDGE, null);

        await().atMost(Duration.ofSeconds(30)).until(() -> "invalid".equals(row("garbled").get("status")));
        assertThat(row("garbled").get("sent_at")).isNull();
        Job after = add("after");
        producer.sendBody(OutboxRoutes.NUDGE, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "sent".equals(row(after.jobId()).get("status")));
        assertThat(relay.failing()).isFalse();
    }

    private SqlEndpoint sqlStep(String stepId) {
        SendProcessor step = camel.getProcessor(stepId, SendProcessor.class);
        assertThat(step).as(stepId).isNotNull();
        assertThat(((RouteIdAware) step).getRouteId()).isEqualTo(OutboxRoutes.RELAY_ROUTE_ID);
        assertThat(step.getEndpoint()).as(stepId).isInstanceOf(SqlEndpoint.class);
        return (SqlEndpoint) step.getEndpoint();
    }
}
