package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.common.NonRetryable;
import java.nio.file.Path;

/** The program to run does not exist or is not executable: retrying cannot help. */
public class MissingBinaryException extends RuntimeException implements NonRetryable {
    private final String binary;

    public MissingBinaryException(String binary, String settingVariable, Throwable cause) {
        super(message(binary, settingVariable), cause);
        this.binary = binary;
    }

    private MissingBinaryException(String binary, String message) {
        super(message);
        this.binary = binary;
    }

    /** The program exists but lies in a directory the sandbox hides (the database's, the workspace). */
    static MissingBinaryException hidden(String binary, Path dir, String settingVariable) {
        return new MissingBinaryException(binary, binary + " lies in " + dir + ", which holds the service's own files"
                + " (database, workspace or key) and is hidden from agents: move the program out of it"
                + (settingVariable == null ? "" : " and set " + settingVariable)
                + ", or move the database (DEKSDENFLOW_DB_PATH) or workspace (DEKSDENFLOW_WORKSPACE)");
    }

    /** bubblewrap could not start the program inside the sandbox ({@code bwrap: execvp ...}). */
    static MissingBinaryException notInSandbox(String binary, String settingVariable, String stderr) {
        return new MissingBinaryException(binary, message(binary, settingVariable) + " inside the agent sandbox ("
                + stderr.strip() + "); a program must lie outside the workspace and the database's directory");
    }

    private static String message(String binary, String settingVariable) {
        String name = binary == null || binary.isBlank() ? "(empty command)" : binary;
        return settingVariable == null
                ? name + " not found or not executable on PATH"
                : name + " not found or not executable: set " + settingVariable;
    }

    public String binary() { return binary; }
}
