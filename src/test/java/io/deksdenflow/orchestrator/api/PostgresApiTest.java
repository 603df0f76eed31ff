package io.deksdenflow.orchestrator.api;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The HTTP suite and the action race again, with the service on PostgreSQL. */
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
class PostgresApiTest {

    static void usePostgres(DynamicPropertyRegistry r) {
        String url = TestDatabases.freshPostgresDatabase();
        r.add("deksdenflow.db-url", () -> url);
    }

    @EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
    static class OnPostgresHttp extends ApiHttpTest {
        @DynamicPropertySource
        static void pg(DynamicPropertyRegistry r) {
            usePostgres(r);
        }
    }

    @EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
    static class OnPostgresRace extends ConcurrentActionsTest {
        @DynamicPropertySource
        static void pg(DynamicPropertyRegistry r) {
            usePostgres(r);
        }
    }
}
