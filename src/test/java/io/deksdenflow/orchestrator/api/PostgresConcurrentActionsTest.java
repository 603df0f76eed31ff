package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The 20-thread action race on PostgreSQL, where compare-and-set misses really happen. */
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
class PostgresConcurrentActionsTest extends ConcurrentActionsTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = TestDatabases.freshPostgresDatabase();
        r.add("deksdenflow.db-url", () -> url);
    }
}
