package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Plan approval and agent questions again on PostgreSQL (V21, the step removal of reject_plan; CI sets DEKSDENFLOW_TEST_DB_URL). */
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
class PostgresPeopleLifecycleTest extends PeopleLifecycleTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = TestDatabases.freshPostgresDatabase();
        r.add("deksdenflow.db-url", () -> url);
    }
}
