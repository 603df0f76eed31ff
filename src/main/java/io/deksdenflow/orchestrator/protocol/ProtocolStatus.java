package io.deksdenflow.orchestrator.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum ProtocolStatus {
    PENDING, PLANNING, PLANNED, RUNNING, PAUSED, BLOCKED, FAILED, CANCELLED, COMPLETED;

    @JsonValue
    public String api() { return name().toLowerCase(Locale.ROOT); }

    public boolean terminal() { return this == CANCELLED || this == COMPLETED; }

    public static ProtocolStatus parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
}
