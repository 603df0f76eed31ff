package io.deksdenflow.orchestrator.protocol;

import static io.deksdenflow.orchestrator.protocol.ProtocolAction.*;
import static io.deksdenflow.orchestrator.protocol.ProtocolStatus.*;

import io.deksdenflow.orchestrator.common.TransitionTable;
import java.util.List;

/**
 * The protocol run state machine: pending → planning → planned → running →
 * (paused | blocked | failed | cancelled | completed); with plan_approval: required, planning →
 * awaiting_approval (shown as planned) → approve_plan → planned, or reject_plan → planning. The only place that says which action is
 * allowed from which status; the API's {@code allowed_actions} and the console derive from it.
 */
public final class ProtocolTransitions {
    private ProtocolTransitions() {}

    public static final TransitionTable<ProtocolStatus, ProtocolAction> TABLE =
            TransitionTable.of("protocol", ProtocolStatus.class, ProtocolAction.class)
                    .on(PENDING, START, PLANNING)
                    .on(PENDING, CANCEL, CANCELLED)

                    .on(PLANNING, PAUSE, PAUSED)
                    .on(PLANNING, BUDGET_PAUSE, PAUSED)
                    .on(PLANNING, CANCEL, CANCELLED)
                    .on(PLANNING, PLAN_DONE, ProtocolStatus.PLANNED)
                    .on(PLANNING, PLAN_READY, AWAITING_APPROVAL)
                    .on(PLANNING, BLOCK, BLOCKED)
                    .on(PLANNING, FAIL, FAILED)

                    .on(ProtocolStatus.PLANNED, START, RUNNING)
                    .on(ProtocolStatus.PLANNED, RUN_NEXT_STEP, RUNNING)
                    .on(ProtocolStatus.PLANNED, STEP_STARTED, RUNNING)
                    .on(ProtocolStatus.PLANNED, PAUSE, PAUSED)
                    .on(ProtocolStatus.PLANNED, BUDGET_PAUSE, PAUSED)
                    .on(ProtocolStatus.PLANNED, CANCEL, CANCELLED)
                    .on(ProtocolStatus.PLANNED, OPEN_PR, ProtocolStatus.PLANNED)
                    .on(ProtocolStatus.PLANNED, BLOCK, BLOCKED)
                    .on(ProtocolStatus.PLANNED, COMPLETE, COMPLETED)
                    .on(ProtocolStatus.PLANNED, FAIL, FAILED)

                    // a plan awaiting approval: no step starts, no PR opens, nothing blocks it; only a person moves it on
                    .on(AWAITING_APPROVAL, APPROVE_PLAN, ProtocolStatus.PLANNED)
                    .on(AWAITING_APPROVAL, REJECT_PLAN, PLANNING)
                    .on(AWAITING_APPROVAL, PAUSE, PAUSED)
                    .on(AWAITING_APPROVAL, CANCEL, CANCELLED)

                    .on(RUNNING, PAUSE, PAUSED)
                    .on(RUNNING, BUDGET_PAUSE, PAUSED)
                    .on(RUNNING, CANCEL, CANCELLED)
                    .on(RUNNING, RUN_NEXT_STEP, RUNNING)
                    .on(RUNNING, RETRY_LATEST, RUNNING)
                    .on(RUNNING, STEP_STARTED, RUNNING)
                    .on(RUNNING, OPEN_PR, RUNNING)
                    .on(RUNNING, BLOCK, BLOCKED)
                    .on(RUNNING, COMPLETE, COMPLETED)
                    .on(RUNNING, FAIL, FAILED)

                    // resume (and start) return to the status the pause interrupted: never re-plan
                    .on(PAUSED, RESUME, null)
                    .on(PAUSED, START, null)
                    .on(PAUSED, RAISE_BUDGET, null)
                    .on(PAUSED, CANCEL, CANCELLED)

                    .on(BLOCKED, RUN_NEXT_STEP, RUNNING)
                    .on(BLOCKED, RETRY_LATEST, RUNNING)
                    .on(BLOCKED, STEP_STARTED, RUNNING)
                    .on(BLOCKED, START, PLANNING)
                    .on(BLOCKED, OPEN_PR, BLOCKED)
                    .on(BLOCKED, CANCEL, CANCELLED)
                    .on(BLOCKED, BLOCK, BLOCKED)
                    .on(BLOCKED, COMPLETE, COMPLETED)

                    .on(FAILED, RUN_NEXT_STEP, RUNNING)
                    .on(FAILED, RETRY_LATEST, RUNNING)
                    .on(FAILED, STEP_STARTED, RUNNING)
                    .on(FAILED, START, PLANNING)
                    .on(FAILED, CANCEL, CANCELLED)
                    .on(FAILED, COMPLETE, COMPLETED)

                    .on(COMPLETED, OPEN_PR, COMPLETED)
                    .build();

    /** The status {@code action} leads to; resume goes back to {@code pausedFrom}. */
    public static ProtocolStatus next(ProtocolStatus from, ProtocolAction action, ProtocolStatus pausedFrom) {
        ProtocolStatus to = TABLE.next(from, action, ProtocolAction::userFacing);
        if (to == null) {
            return pausedFrom == null ? ProtocolStatus.PLANNED : pausedFrom;
        }
        return to;
    }

    public static boolean allows(ProtocolStatus from, ProtocolAction action) {
        return TABLE.allows(from, action);
    }

    public static List<String> allowedActions(ProtocolStatus from) {
        return TransitionTable.names(TABLE.allowed(from, ProtocolAction::userFacing));
    }
}
