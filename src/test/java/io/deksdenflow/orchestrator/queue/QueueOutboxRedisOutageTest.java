package io.deksdenflow.orchestrator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.testsupport.QueueTestApp;
import io.deksdenflow.orchestrator.testsupport.ScriptedHandler;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The outbox relay with a SQLite outbox and a Redis this test stops and restarts: rows committed
 * while Redis is down stay pending and are delivered once it returns, each job running once.
 */
@SlowTest
@SpringBootTest(classes = QueueTestApp.class, properties = "spring.autoconfigure.exclude=")
@TestPropertySource(locations = "classpath:queue-test.properties")
class QueueOutboxRedisOutageTest {
    static EmbeddedRedis server;
    static int port;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) throws Exception {
        server = EmbeddedRedis.start(0);
        port = server.port();
        Path db = Files.createTempDirectory("outbox-test").resolve("test.sqlite");
        String url = server.url();
        registry.add("deksdenflow.redis-url", () -> url);
        registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + db + "?journal_mode=WAL&busy_timeout=10000");
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Autowired ProducerTemplate producer;
    @Autowired RedisJobQueue queue;
    @Autowired StringRedisTemplate redis;
    @Autowired ObjectMapper json;
    @Autowired javax.sql.DataSource dataSource;

    NamedParameterJdbcTemplate jdbc() { return new NamedParameterJdbcTemplate(dataSource); }

    List<String> insert(int n, String tag) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Job job = Job.create(JobType.EXECUTE_STEP_JOB, 1L, 2L, 3L, 3, tag, System.currentTimeMillis());
            jdbc().update("INSERT INTO outbox (job_id, job_type, payload, status, created_at) "
                    + "VALUES (:id, :type, :payload, 'pending', :now)", Map.of("id", job.jobId(),
                    "type", job.type().api(), "payload", json.writeValueAsString(job), "now", System.currentTimeMillis()));
            ids.add(job.jobId());
        }
        nudge();
        return ids;
    }

    /** What JobEnqueuer does after a commit that wrote an outbox row. */
    void nudge() {
        producer.sendBody(OutboxRoutes.NUDGE, null);
    }

    long pending() {
        return jdbc().queryForObject("SELECT count(*) FROM outbox WHERE status = 'pending'", Map.of(), Long.class);
    }

    List<String> ran(Set<String> ids) {
        return redis.opsForList().range(ScriptedHandler.effectsKey(queue.namespace()), 0, -1).stream().filter(ids::contains).toList();
    }

    @Test
    void aNudgeRelaysWithoutThePoll() throws Exception {
        org.apache.camel.CamelContext camel = producer.getCamelContext();
        camel.getRouteController().stopRoute(OutboxRoutes.POLL_ROUTE_ID);
        try {
            Set<String> ids = new HashSet<>(insert(3, "nudged"));
            await().atMost(Duration.ofSeconds(30)).until(() -> ran(ids).size() == 3);
            assertThat(pending()).isZero();
        } finally {
            camel.getRouteController().startRoute(OutboxRoutes.POLL_ROUTE_ID);
        }
    }

    @Test
    void rowsCommittedWhileRedisIsDownAreDeliveredOnceWhenItReturns() throws Exception {
        Set<String> ids = new HashSet<>(insert(20, "before"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ran(ids).size() == 20);

        server.stop();
        ids.addAll(insert(100, "during"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> pending() == 100);

        server = EmbeddedRedis.start(port, server.password());
        ids.addAll(insert(100, "after"));
        await().atMost(Duration.ofSeconds(60)).until(() -> pending() == 0);
        // the restarted server is empty: the 20 early jobs ran before the outage, the 200 others after
        await().atMost(Duration.ofSeconds(60)).until(() -> ran(ids).size() >= 200);
        List<String> ran = ran(ids);
        assertThat(ran).hasSize(200).doesNotHaveDuplicates();

        // a crash between push and mark: the row is pushed again, but the job is not enqueued twice
        jdbc().update("UPDATE outbox SET status = 'pending' WHERE job_id IN (:ids)", Map.of("ids", ran.subList(0, 10)));
        nudge();
        await().atMost(Duration.ofSeconds(10)).until(() -> pending() == 0);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> ran(ids).size() == 200);
        assertThat(ran(ids)).doesNotHaveDuplicates();
    }
}
