package io.deksdenflow.orchestrator.store;

import java.sql.SQLException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;

/** Recognizes a unique-constraint violation on both databases (SQLite reports it untranslated). */
public final class Constraints {
    private Constraints() {}

    public static boolean isUniqueViolation(DataAccessException e) {
        if (e instanceof DuplicateKeyException) return true;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if ("23505".equals(sql.getSQLState())) return true;
                String m = String.valueOf(sql.getMessage());
                if (m.contains("UNIQUE constraint failed") || m.contains("SQLITE_CONSTRAINT_UNIQUE")) return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }
}
