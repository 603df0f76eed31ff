package io.deksdenflow.orchestrator.queue;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The relay route's SQL on a SQLite file. */
class SqliteOutboxRelayRouteTest extends OutboxRelayRouteTest {
    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        String redis = startRedis();
        String db = TestDatabases.sqlitePath();
        registry.add("deksdenflow.redis-url", () -> redis);
        registry.add("spring.datasource.url", () -> "jdbc:sqlite:" + db + "?journal_mode=WAL&busy_timeout=10000");
    }
}
