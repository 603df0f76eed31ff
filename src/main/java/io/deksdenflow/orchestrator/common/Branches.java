package io.deksdenflow.orchestrator.common;

import java.util.regex.Pattern;

/** Branch names given by users end up as git arguments: only plain ref names pass. */
public final class Branches {
    private static final Pattern REF = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$");

    private Branches() {}

    public static String requireBranch(String field, String name) {
        if (name == null || !REF.matcher(name).matches() || name.contains("..") || name.contains("//")
                || name.endsWith("/") || name.endsWith(".lock") || name.endsWith(".")) {
            throw new ValidationException(field, field + " must be a plain git branch name (letters, digits, . _ / -)");
        }
        return name;
    }
}
