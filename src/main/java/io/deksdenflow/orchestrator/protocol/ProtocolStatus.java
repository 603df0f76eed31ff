package io.deksdenflow.orchestrator.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A protocol run's status. {@link #AWAITING_APPROVAL} is a planned protocol whose plan waits for a
 * person (plan_approval: required): the API shows it as {@code planned} (with
 * {@code awaiting_plan_approval: true}), while the transition table gives it its own row, so that no
 * step starts from it — auto_advance, run_next_step and CI events included — until approve_plan.
 * {@link #db()} is the name stored in the database, {@link #api()} the one the API shows.
 */
public enum ProtocolStatus {
    PENDING, PLANNING, PLANNED, AWAITING_APPROVAL, RUNNING, PAUSED, BLOCKED, FAILED, CANCELLED, COMPLETED;

    @JsonValue
    public String api() { return this == AWAITING_APPROVAL ? PLANNED.api() : db(); }

    /** The status column's value (differs from {@link #api} only for {@link #AWAITING_APPROVAL}). */
    public String db() { return name().toLowerCase(Locale.ROOT); }

    public boolean terminal() { return this == CANCELLED || this == COMPLETED; }

    public static ProtocolStatus parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
}
