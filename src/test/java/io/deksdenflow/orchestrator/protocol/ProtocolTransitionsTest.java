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
 * Every (status, action) pair of the protocol state machine against the table written out here:
 * an allowed pair leads to its status (resume, start and raise_budget from paused go back to where
 * the pause interrupted), any other pair is a 409 naming the user's actions.
 */
class ProtocolTransitionsTest {
    /** "from action → to"; "paused_from" = back to the status the pause interrupted. */
    private static final String EXPECTED = """
            pending start planning
            pending cancel cancelled
            planning pause paused
            planning budget_pause paused
            planning cancel cancelled
            planning plan_done planned
            planning plan_ready awaiting_approval
            awaiting_approval approve_plan planned
            awaiting_approval reject_plan planning
            awaiting_approval pause paused
            awaiting_approval cancel cancelled
            planning block blocked
            planning fail failed
            planned start running
            planned run_next_step running
            planned step_started running
            planned pause paused
            planned budget_pause paused
            planned cancel cancelled
            planned open_pr planned
            planned block blocked
            planned complete completed
            planned fail failed
            running pause paused
            running budget_pause paused
            running cancel cancelled
            running run_next_step running
            running retry_latest running
            running step_started running
            running open_pr running
            running block blocked
            running complete completed
            running fail failed
            paused resume paused_from
            paused start paused_from
            paused raise_budget paused_from
            paused cancel cancelled
            blocked run_next_step running
            blocked retry_latest running
            blocked step_started running
            blocked start planning
            blocked open_pr blocked
            blocked cancel cancelled
            blocked block blocked
            blocked complete completed
            failed run_next_step running
            failed retry_latest running
            failed step_started running
            failed start planning
            failed cancel cancelled
            failed complete completed
            completed open_pr completed
            """;

    private static Map<ProtocolStatus, Map<ProtocolAction, String>> expected() {
        Map<ProtocolStatus, Map<ProtocolAction, String>> out = new EnumMap<>(ProtocolStatus.class);
        for (String line : EXPECTED.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            out.computeIfAbsent(ProtocolStatus.valueOf(f[0].toUpperCase()), k -> new EnumMap<>(ProtocolAction.class))
                    .put(ProtocolAction.valueOf(f[1].toUpperCase()), f[2]);
        }
        return out;
    }

    static Stream<Arguments> everyPair() {
        List<Arguments> out = new ArrayList<>();
        for (ProtocolStatus s : ProtocolStatus.values()) {
            for (ProtocolAction a : ProtocolAction.values()) out.add(Arguments.of(s, a));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} --{1}-->")
    @MethodSource("everyPair")
    void everyStatusAndAction(ProtocolStatus from, ProtocolAction action) {
        String to = expected().getOrDefault(from, Map.of()).get(action);
        assertThat(ProtocolTransitions.allows(from, action)).isEqualTo(to != null);
        if (to == null) {
            assertThatThrownBy(() -> ProtocolTransitions.next(from, action, null))
                    .isInstanceOf(IllegalTransitionException.class);
            assertThat(ProtocolTransitions.allowedActions(from)).doesNotContain(action.api());
            return;
        }
        if (to.equals("paused_from")) {
            for (ProtocolStatus before : List.of(ProtocolStatus.PLANNING, ProtocolStatus.PLANNED,
                    ProtocolStatus.AWAITING_APPROVAL, ProtocolStatus.RUNNING)) {
                assertThat(ProtocolTransitions.next(from, action, before)).isEqualTo(before);
            }
            // a pause recorded before paused_from existed returns to planned, never re-plans
            assertThat(ProtocolTransitions.next(from, action, null)).isEqualTo(ProtocolStatus.PLANNED);
        } else {
            assertThat(ProtocolTransitions.next(from, action, null)).isEqualTo(ProtocolStatus.valueOf(to.toUpperCase()));
        }
        assertThat(ProtocolTransitions.allowedActions(from).contains(action.api())).isEqualTo(action.userFacing());
    }

    @ParameterizedTest(name = "{0} refuses with its user actions")
    @MethodSource("statuses")
    void aRefusedActionNamesTheUserActionsOfTheStatus(ProtocolStatus from) {
        List<String> users = expected().getOrDefault(from, Map.of()).keySet().stream()
                .filter(ProtocolAction::userFacing).map(ProtocolAction::api).toList();
        assertThat(ProtocolTransitions.allowedActions(from)).containsExactlyInAnyOrderElementsOf(users);
        for (ProtocolAction a : ProtocolAction.values()) {
            if (expected().getOrDefault(from, Map.of()).containsKey(a)) continue;
            assertThatThrownBy(() -> ProtocolTransitions.next(from, a, null))
                    .isInstanceOfSatisfying(IllegalTransitionException.class,
                            e -> assertThat(e.getMessage()).contains(a.api()));
        }
    }

    @org.junit.jupiter.api.Test
    void aPlanAwaitingApprovalIsShownAsPlannedAndTakesNoStepWork() {
        assertThat(ProtocolStatus.AWAITING_APPROVAL.api()).isEqualTo("planned");
        assertThat(ProtocolStatus.AWAITING_APPROVAL.db()).isEqualTo("awaiting_approval");
        assertThat(ProtocolTransitions.allowedActions(ProtocolStatus.AWAITING_APPROVAL))
                .containsExactlyInAnyOrder("approve_plan", "reject_plan", "pause", "cancel");
        for (ProtocolAction a : List.of(ProtocolAction.START, ProtocolAction.RUN_NEXT_STEP, ProtocolAction.STEP_STARTED,
                ProtocolAction.RETRY_LATEST, ProtocolAction.OPEN_PR, ProtocolAction.BLOCK, ProtocolAction.COMPLETE)) {
            assertThatThrownBy(() -> ProtocolTransitions.next(ProtocolStatus.AWAITING_APPROVAL, a, null))
                    .isInstanceOf(IllegalTransitionException.class);
        }
        assertThat(StepTransitions.protocolAllowsStepWork(ProtocolStatus.AWAITING_APPROVAL)).isFalse();
        // approve_plan and reject_plan only while a plan awaits approval
        for (ProtocolStatus s : ProtocolStatus.values()) {
            if (s == ProtocolStatus.AWAITING_APPROVAL) continue;
            assertThat(ProtocolTransitions.allowedActions(s)).doesNotContain("approve_plan", "reject_plan");
        }
    }

    static Stream<ProtocolStatus> statuses() {
        return Stream.of(ProtocolStatus.values());
    }
}
