package io.deksdenflow.orchestrator.protocol;

import static io.deksdenflow.orchestrator.protocol.StepAction.*;
import static io.deksdenflow.orchestrator.protocol.StepStatus.*;

import io.deksdenflow.orchestrator.common.TransitionTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The step run state machine: pending → running → needs_qa → (completed | failed | cancelled |
 * blocked). Approve only from needs_qa, failed or blocked.
 */
public final class StepTransitions {
    private StepTransitions() {}

    public static final TransitionTable<StepStatus, StepAction> TABLE =
            TransitionTable.of("step", StepStatus.class, StepAction.class)
                    .on(PENDING, RUN, RUNNING)
                    .on(PENDING, CANCEL, CANCELLED)
                    .on(PENDING, StepAction.BLOCK, BLOCKED)

                    .on(RUNNING, EXEC_DONE, NEEDS_QA)
                    .on(RUNNING, ASK, BLOCKED)
                    .on(RUNNING, FAIL, FAILED)
                    .on(RUNNING, StepAction.BLOCK, BLOCKED)
                    .on(RUNNING, CANCEL, CANCELLED)

                    .on(NEEDS_QA, RUN, RUNNING)
                    .on(NEEDS_QA, RUN_QA, NEEDS_QA)
                    .on(NEEDS_QA, APPROVE, COMPLETED)
                    .on(NEEDS_QA, QA_PASSED, COMPLETED)
                    .on(NEEDS_QA, QA_FAILED, FAILED)
                    .on(NEEDS_QA, CI_PASSED, NEEDS_QA)
                    .on(NEEDS_QA, FAIL, FAILED)
                    .on(NEEDS_QA, StepAction.BLOCK, BLOCKED)
                    .on(NEEDS_QA, CANCEL, CANCELLED)

                    .on(FAILED, RUN, RUNNING)
                    .on(FAILED, RUN_QA, NEEDS_QA)
                    .on(FAILED, APPROVE, COMPLETED)
                    .on(FAILED, CI_PASSED, NEEDS_QA)
                    .on(FAILED, StepAction.BLOCK, BLOCKED)
                    .on(FAILED, CANCEL, CANCELLED)

                    .on(BLOCKED, RUN, RUNNING)
                    .on(BLOCKED, ANSWER, RUNNING)
                    .on(BLOCKED, RUN_QA, NEEDS_QA)
                    .on(BLOCKED, APPROVE, COMPLETED)
                    .on(BLOCKED, CI_PASSED, NEEDS_QA)
                    .on(BLOCKED, StepAction.BLOCK, BLOCKED)
                    .on(BLOCKED, CANCEL, CANCELLED)

                    // CI can still fail on the commit of a step that QA already passed
                    .on(COMPLETED, StepAction.BLOCK, BLOCKED)
                    .build();

    public static StepStatus next(StepStatus from, StepAction action) {
        return TABLE.next(from, action, StepAction::userFacing);
    }

    public static boolean allows(StepStatus from, StepAction action) {
        return TABLE.allows(from, action);
    }

    /**
     * The user's actions on a step: those its own table allows, and only while its protocol lets a
     * step start (run, run_qa) or be approved (any non-terminal, unpaused protocol).
     */
    public static List<String> allowedActions(StepStatus from, ProtocolStatus protocol) {
        List<String> out = new ArrayList<>();
        boolean protocolActive = protocolAllowsStepWork(protocol);
        for (StepAction a : TABLE.allowed(from, StepAction::userFacing)) {
            if (protocolActive) out.add(a.api());
        }
        return out;
    }

    /**
     * {@link #allowedActions(StepStatus, ProtocolStatus)} of the step, without {@code answer} unless its
     * agent's question waits for one.
     */
    public static List<String> allowedActions(StepRun s, ProtocolStatus protocol) {
        List<String> out = allowedActions(s.status(), protocol);
        if (s.openQuestion().isEmpty()) out.remove(ANSWER.api());
        return out;
    }

    /** A protocol that is pending, planning, paused, cancelled or completed takes no step work. */
    public static boolean protocolAllowsStepWork(ProtocolStatus protocol) {
        return ProtocolTransitions.allows(protocol, ProtocolAction.STEP_STARTED);
    }
}
