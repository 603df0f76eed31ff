package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The intake and PATCH tests again with the service on PostgreSQL (CI sets DEKSDENFLOW_TEST_DB_URL). */
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
class PostgresProjectIntakeHttpTest extends ProjectIntakeHttpTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = TestDatabases.freshPostgresDatabase();
        r.add("deksdenflow.db-url", () -> url);
    }
}
