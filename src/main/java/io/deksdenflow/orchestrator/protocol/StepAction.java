package io.deksdenflow.orchestrator.protocol;

import java.util.Locale;
import java.util.Optional;

/** What can happen to a step run: the user's actions and the system's own events. */
public enum StepAction {
    RUN(true), RUN_QA(true), APPROVE(true),
    /** a person answers the question the step's agent asked: the step runs again with it */
    ANSWER(true),
    /** the step's agent asked a question instead of guessing: the step waits for an answer */
    ASK(false),
    EXEC_DONE(false), QA_PASSED(false), QA_FAILED(false), CI_PASSED(false), BLOCK(false), FAIL(false), CANCEL(false);

    private final boolean userFacing;

    StepAction(boolean userFacing) { this.userFacing = userFacing; }

    public boolean userFacing() { return userFacing; }

    public String api() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<StepAction> userAction(String name) {
        for (StepAction a : values()) {
            if (a.userFacing && a.api().equals(name)) return Optional.of(a);
        }
        return Optional.empty();
    }
}
