package io.deksdenflow.orchestrator.store;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The storage contract on the machine's PostgreSQL (CI sets DEKSDENFLOW_TEST_DB_URL). */
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_DB_URL", matches = ".+")
class PostgresStoreContractTest extends StoreContractTest {
    private String url;

    @Override
    String dbUrl() {
        if (url == null) url = TestDatabases.freshPostgresDatabase();
        return url;
    }

    @Override
    String freshDbUrl() {
        return TestDatabases.freshPostgresDatabase();
    }

    @Override
    String vendor() {
        return "postgresql";
    }

    @Override
    String explain(String sql) {
        jdbc.getJdbcTemplate().execute("ANALYZE");
        // with a few hundred rows the planner may prefer a scan; forbid it to see which index serves the query
        return jdbc.getJdbcTemplate().execute((java.sql.Connection c) -> {
            try (var s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
                StringBuilder sb = new StringBuilder();
                try (var rs = s.executeQuery("EXPLAIN " + sql)) {
                    while (rs.next()) sb.append(rs.getString(1)).append('\n');
                }
                s.execute("RESET enable_seqscan");
                return sb.toString();
            }
        });
    }
}
