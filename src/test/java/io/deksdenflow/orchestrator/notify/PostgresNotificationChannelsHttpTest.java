package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The notification channels and deliveries again on PostgreSQL (V20, the delivery log's SQL; CI sets DEKSDENFLOW_TEST_DB_URL). */
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
class PostgresNotificationChannelsHttpTest extends NotificationChannelsHttpTest {
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        String url = TestDatabases.freshPostgresDatabase();
        r.add("deksdenflow.db-url", () -> url);
    }
}
