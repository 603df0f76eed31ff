package io.deksdenflow.orchestrator.project;

import java.util.List;

/**
 * One QA check of a project or protocol: a program run without a shell in the step's worktree
 * (inside the agent sandbox) before the QA agent; a non-zero exit or a timeout fails the step's QA.
 */
public record Check(String name, List<String> command, int timeoutSeconds) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;

    public Check {
        command = List.copyOf(command);
    }

    /** A check as received: {@code command} is a list of strings (argv) or one command line. */
    public record Spec(String name, Object command, Integer timeoutSeconds) {}
}
