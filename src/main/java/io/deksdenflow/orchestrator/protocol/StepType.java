package io.deksdenflow.orchestrator.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum StepType {
    SETUP, WORK, QA;

    @JsonValue
    public String api() { return name().toLowerCase(Locale.ROOT); }

    public static StepType parse(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }

    /** Step type from a step file name: "00-" or "setup" → setup, "qa" → qa, else work. */
    public static StepType fromFileName(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.startsWith("00-") || n.contains("setup")) return SETUP;
        if (n.contains("qa")) return QA;
        return WORK;
    }
}
