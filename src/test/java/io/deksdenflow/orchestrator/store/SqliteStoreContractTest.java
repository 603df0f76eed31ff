package io.deksdenflow.orchestrator.store;

import io.deksdenflow.orchestrator.testsupport.TestDatabases;
import java.util.Map;
import java.util.stream.Collectors;

class SqliteStoreContractTest extends StoreContractTest {
    private final String path = TestDatabases.sqlitePath();

    @Override
    String dbUrl() {
        return io.deksdenflow.orchestrator.config.DatabaseUrls.from(null, path).jdbcUrl();
    }

    @Override
    String freshDbUrl() {
        return io.deksdenflow.orchestrator.config.DatabaseUrls.from(null, TestDatabases.sqlitePath()).jdbcUrl();
    }

    @Override
    String vendor() {
        return "sqlite";
    }

    @Override
    String explain(String sql) {
        return jdbc.queryForList("EXPLAIN QUERY PLAN " + sql, Map.of()).stream()
                .map(r -> String.valueOf(r.get("detail"))).collect(Collectors.joining("\n"));
    }
}
