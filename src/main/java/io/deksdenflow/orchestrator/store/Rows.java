package io.deksdenflow.orchestrator.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Column readers that behave the same on SQLite (dynamic types) and PostgreSQL. */
public final class Rows {
    private Rows() {}

    public static Long nullableLong(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    public static Double nullableDouble(ResultSet rs, String col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    public static Integer nullableInt(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }
}
