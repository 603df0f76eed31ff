package io.deksdenflow.orchestrator.ops;

import java.sql.Connection;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

@Component
class DatabaseProbe implements HealthProbe {
    private final DataSource dataSource;

    DatabaseProbe(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public String name() { return "database"; }

    @Override
    public boolean up() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }
}
