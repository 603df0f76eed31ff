package io.deksdenflow.orchestrator.protocol;

import java.util.Locale;
import java.util.Optional;

/** What can happen to a protocol run: the user's actions and the system's own events. */
public enum ProtocolAction {
    START(true), PAUSE(true), RESUME(true), CANCEL(true), RUN_NEXT_STEP(true), RETRY_LATEST(true), OPEN_PR(true),
    /** raise the paused protocol's own budget limits and resume it where it stopped */
    RAISE_BUDGET(true),
    /** a person approves the plan that awaits approval: the protocol is planned and its steps may run */
    APPROVE_PLAN(true),
    /** a person rejects the plan that awaits approval with feedback: planning runs again with it */
    REJECT_PLAN(true),
    /** a budget in pause mode refused the next engine call */
    BUDGET_PAUSE(false),
    /** planning wrote the plan and created the steps */
    PLAN_DONE(false),
    /** planning wrote the plan and created the steps, and the plan waits for a person (plan_approval: required) */
    PLAN_READY(false),
    /** a step began executing (from a step action, auto-advance or a retry) */
    STEP_STARTED(false),
    /** QA failed, CI failed, the budget ran out, invalid plan, or a job failed for good */
    BLOCK(false),
    /** every step completed or cancelled, or the PR/MR was merged */
    COMPLETE(false),
    /** an unrecoverable failure */
    FAIL(false);

    private final boolean userFacing;

    ProtocolAction(boolean userFacing) { this.userFacing = userFacing; }

    public boolean userFacing() { return userFacing; }

    public String api() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<ProtocolAction> userAction(String name) {
        for (ProtocolAction a : values()) {
            if (a.userFacing && a.api().equals(name)) return Optional.of(a);
        }
        return Optional.empty();
    }
}
