package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.common.NonRetryable;

/** The program to run does not exist or is not executable: retrying cannot help. */
public class MissingBinaryException extends RuntimeException implements NonRetryable {
    private final String binary;

    public MissingBinaryException(String binary, String settingVariable, Throwable cause) {
        super(message(binary, settingVariable), cause);
        this.binary = binary;
    }

    private static String message(String binary, String settingVariable) {
        String name = binary == null || binary.isBlank() ? "(empty command)" : binary;
        return settingVariable == null
                ? name + " not found or not executable on PATH"
                : name + " not found or not executable: set " + settingVariable;
    }

    public String binary() { return binary; }
}
