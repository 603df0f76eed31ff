package io.deksdenflow.orchestrator.webhook;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The issue intake tests again with the service on PostgreSQL (CI sets DEKSDENFLOW_TEST_DB_URL). */
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
class PostgresIssueIntakeHttpTest extends IssueIntakeHttpTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = TestDatabases.freshPostgresDatabase();
        r.add("deksdenflow.db-url", () -> url);
    }
}
