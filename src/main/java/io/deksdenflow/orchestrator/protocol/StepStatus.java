package io.deksdenflow.orchestrator.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum StepStatus {
    PENDING, RUNNING, NEEDS_QA, COMPLETED, FAILED, CANCELLED, BLOCKED;

    @JsonValue
    public String api() { return name().toLowerCase(Locale.ROOT); }

    public static StepStatus parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }
}
