package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.Locale;

/**
 * plan_approval, a project's and a protocol's setting: {@code required} (a person approves the plan
 * before any step runs) or {@code auto} (steps may run as soon as it is planned; the default). A
 * protocol's own value overrides its project's; unset on both is auto.
 */
public final class PlanApproval {
    public static final String REQUIRED = "required";
    public static final String AUTO = "auto";

    private PlanApproval() {}

    /** The value as given (trimmed, lower case), null when absent; anything else is a 422 on {@code field}. */
    public static String require(String field, String raw) {
        if (raw == null || raw.isBlank()) return null;
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (!v.equals(REQUIRED) && !v.equals(AUTO)) {
            throw new ValidationException(field, field + " must be \"required\" or \"auto\"");
        }
        return v;
    }

    /** Whether a protocol with {@code protocolValue} in a project with {@code projectValue} waits for approval. */
    public static boolean required(String protocolValue, String projectValue) {
        String v = protocolValue != null ? protocolValue : projectValue;
        return REQUIRED.equals(v);
    }

    /** The value in effect for the project: its own, else auto. */
    public static String effective(String projectValue) {
        return projectValue == null ? AUTO : projectValue;
    }
}
