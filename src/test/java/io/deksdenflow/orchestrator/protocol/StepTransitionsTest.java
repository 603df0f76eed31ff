package io.deksdenflow.orchestrator.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.IllegalTransitionException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (status, action) pair of the step state machine against the table written out here, and the
 * user's actions of every step status in every protocol status.
 */
class StepTransitionsTest {
    private static final String EXPECTED = """
            pending run running
            pending cancel cancelled
            pending block blocked
            running exec_done needs_qa
            running ask blocked
            running fail failed
            running block blocked
            running cancel cancelled
            needs_qa run running
            needs_qa run_qa needs_qa
            needs_qa approve completed
            needs_qa qa_passed completed
            needs_qa qa_failed failed
            needs_qa ci_passed needs_qa
            needs_qa fail failed
            needs_qa block blocked
            needs_qa cancel cancelled
            failed run running
            failed run_qa needs_qa
            failed approve completed
            failed ci_passed needs_qa
            failed block blocked
            failed cancel cancelled
            blocked run running
            blocked answer running
            blocked run_qa needs_qa
            blocked approve completed
            blocked ci_passed needs_qa
            blocked block blocked
            blocked cancel cancelled
            completed block blocked
            """;

    /** Protocol statuses whose steps take work (run, run_qa, approve). */
    private static final List<ProtocolStatus> ACTIVE =
            List.of(ProtocolStatus.PLANNED, ProtocolStatus.RUNNING, ProtocolStatus.BLOCKED, ProtocolStatus.FAILED);

    private static Map<StepStatus, Map<StepAction, StepStatus>> expected() {
        Map<StepStatus, Map<StepAction, StepStatus>> out = new EnumMap<>(StepStatus.class);
        for (String line : EXPECTED.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            out.computeIfAbsent(StepStatus.valueOf(f[0].toUpperCase()), k -> new EnumMap<>(StepAction.class))
                    .put(StepAction.valueOf(f[1].toUpperCase()), StepStatus.valueOf(f[2].toUpperCase()));
        }
        return out;
    }

    static Stream<Arguments> everyPair() {
        List<Arguments> out = new ArrayList<>();
        for (StepStatus s : StepStatus.values()) {
            for (StepAction a : StepAction.values()) out.add(Arguments.of(s, a));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} --{1}-->")
    @MethodSource("everyPair")
    void everyStatusAndAction(StepStatus from, StepAction action) {
        StepStatus to = expected().getOrDefault(from, Map.of()).get(action);
        assertThat(StepTransitions.allows(from, action)).isEqualTo(to != null);
        if (to == null) {
            assertThatThrownBy(() -> StepTransitions.next(from, action))
                    .isInstanceOfSatisfying(IllegalTransitionException.class,
                            e -> assertThat(e.getMessage()).contains(action.api()));
        } else {
            assertThat(StepTransitions.next(from, action)).isEqualTo(to);
        }
        for (ProtocolStatus protocol : ProtocolStatus.values()) {
            boolean offered = to != null && action.userFacing() && ACTIVE.contains(protocol);
            assertThat(StepTransitions.allowedActions(step(from, List.of()), protocol).contains(action.api()))
                    .as("%s offered on a %s step without a question", action, from)
                    .isEqualTo(offered && action != StepAction.ANSWER);
            assertThat(StepTransitions.allowedActions(step(from, List.of(new StepQuestion("q?", null, 1, null))), protocol)
                    .contains(action.api())).as("%s offered on a %s step with an open question", action, from).isEqualTo(offered);
            assertThat(StepTransitions.allowedActions(from, protocol).contains(action.api()))
                    .as("%s offered on a %s step of a %s protocol", action, from, protocol).isEqualTo(offered);
        }
    }

    private static StepRun step(StepStatus status, List<StepQuestion> questions) {
        return new StepRun(1, 1, 0, "01-x.md", StepType.WORK, status, null, null, 0, null, null, null, null, null, null,
                null, null, 0, 0, 0, null, null, null, questions);
    }

    static Stream<ProtocolStatus> protocolStatuses() {
        return Stream.of(ProtocolStatus.values());
    }

    @ParameterizedTest(name = "steps of a {0} protocol")
    @MethodSource("protocolStatuses")
    void stepWorkFollowsTheProtocolsStepStartedRow(ProtocolStatus protocol) {
        assertThat(StepTransitions.protocolAllowsStepWork(protocol)).isEqualTo(ACTIVE.contains(protocol));
    }
}
