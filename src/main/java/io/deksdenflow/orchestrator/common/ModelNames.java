package io.deksdenflow.orchestrator.common;

import java.util.regex.Pattern;

/**
 * A model name reaches an agent CLI's argv ({@code -m}, {@code --model}) and command templates, so
 * only plain names are accepted: a letter or digit, then up to 99 of letters, digits and
 * {@code . _ : / @ + -} (e.g. {@code gpt-5}, {@code claude-sonnet-4-5@20250929}, {@code org/model:tag}).
 */
public final class ModelNames {
    public static final Pattern PATTERN = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,99}$");

    private ModelNames() {}

    public static boolean isValid(String model) {
        return model != null && PATTERN.matcher(model).matches();
    }

    /** {@code model} itself, or a 422 naming {@code field}. */
    public static String require(String field, String model) {
        if (!isValid(model)) {
            throw new ValidationException(field, field + " must match " + PATTERN.pattern()
                    + " (a letter or digit, then at most 99 of letters, digits and . _ : / @ + -)");
        }
        return model;
    }
}
