package io.deksdenflow.orchestrator.queue;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The relay route's SQL on the machine's PostgreSQL (CI sets DEKSDENFLOW_TEST_DB_URL). */
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
class PostgresOutboxRelayRouteTest extends OutboxRelayRouteTest {
    @DynamicPropertySource
    static void props(DynamicPropertyRegistry registry) {
        String redis = startRedis();
        String db = TestDatabases.freshPostgresDatabase();
        registry.add("deksdenflow.redis-url", () -> redis);
        registry.add("spring.datasource.url", () -> db);
    }
}
