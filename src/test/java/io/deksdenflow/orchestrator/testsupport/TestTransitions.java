package io.deksdenflow.orchestrator.testsupport;

import io.deksdenflow.orchestrator.protocol.ProtocolAction;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.protocol.ProtocolTransitions;
import io.deksdenflow.orchestrator.protocol.StepAction;
import io.deksdenflow.orchestrator.protocol.StepRun;
import io.deksdenflow.orchestrator.protocol.StepStore;
import io.deksdenflow.orchestrator.protocol.StepTransitions;

/**
 * Puts a protocol or step into a status for a test without running its jobs: the transition tables
 * decide the target and the stores apply it as a compare-and-set (no events, no jobs). Call inside a
 * transaction when several moves must be seen together.
 */
public final class TestTransitions {
    private TestTransitions() {}

    public static ProtocolRun protocol(ProtocolStore protocols, ProtocolRun p, ProtocolAction action) {
        ProtocolStatus to = ProtocolTransitions.next(p.status(), action, p.pausedFrom());
        if (!protocols.transition(p, to, to == ProtocolStatus.PAUSED ? p.status() : null)) {
            throw new IllegalStateException("protocol " + p.id() + " changed meanwhile");
        }
        return protocols.get(p.id());
    }

    public static StepRun step(StepStore steps, StepRun s, StepAction action) {
        if (!steps.transition(s, StepTransitions.next(s.status(), action), null)) {
            throw new IllegalStateException("step " + s.id() + " changed meanwhile");
        }
        return steps.get(s.id());
    }

    /** start → planning → planned → running. */
    public static ProtocolRun running(ProtocolStore protocols, ProtocolRun p) {
        p = protocol(protocols, p, ProtocolAction.START);
        p = protocol(protocols, p, ProtocolAction.PLAN_DONE);
        return protocol(protocols, p, ProtocolAction.STEP_STARTED);
    }
}
