package io.deksdenflow.orchestrator.protocol;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.regex.Pattern;

/** Name rules for protocols and steps, which become branch, folder and file names. */
public final class Names {
    public static final Pattern PROTOCOL_NAME = Pattern.compile("^[0-9]{4}-[a-z0-9][a-z0-9-]{0,62}$");
    public static final Pattern STEP_NAME = Pattern.compile("^[0-9]{2}-[A-Za-z0-9._-]+\\.md$");

    private Names() {}

    public static String requireProtocolName(String field, String name) {
        if (name == null || !PROTOCOL_NAME.matcher(name).matches()) {
            throw new ValidationException(field, field + " must match " + PROTOCOL_NAME.pattern());
        }
        return name;
    }

    public static String requireStepName(String field, String name) {
        if (name == null || !STEP_NAME.matcher(name).matches() || name.contains("..")) {
            throw new ValidationException(field, field + " must match " + STEP_NAME.pattern() + " without '..'");
        }
        return name;
    }
}
