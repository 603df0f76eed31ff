package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.IllegalTransitionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every (status, action) pair of the project state machine against the table written out here. */
class ProjectStatusTest {
    private static final Map<String, ProjectStatus> EXPECTED = Map.of(
            "PENDING SETUP", ProjectStatus.SETTING_UP,
            "PENDING SETUP_FAILED", ProjectStatus.FAILED,
            "SETTING_UP SETUP_DONE", ProjectStatus.READY,
            "SETTING_UP SETUP_FAILED", ProjectStatus.FAILED,
            "READY SETUP", ProjectStatus.SETTING_UP,
            "FAILED SETUP", ProjectStatus.SETTING_UP);

    static Stream<Arguments> everyPair() {
        List<Arguments> out = new ArrayList<>();
        for (ProjectStatus s : ProjectStatus.values()) {
            for (ProjectStatus.Action a : ProjectStatus.Action.values()) out.add(Arguments.of(s, a));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} --{1}-->")
    @MethodSource("everyPair")
    void everyStatusAndAction(ProjectStatus from, ProjectStatus.Action action) {
        ProjectStatus to = EXPECTED.get(from + " " + action);
        assertThat(ProjectStatus.TABLE.allows(from, action)).isEqualTo(to != null);
        if (to == null) {
            assertThatThrownBy(() -> from.next(action)).isInstanceOfSatisfying(IllegalTransitionException.class,
                    e -> assertThat(e.getMessage()).contains(action.name().toLowerCase()));
        } else {
            assertThat(from.next(action)).isEqualTo(to);
        }
        // only set-up is the user's (POST /projects/{id}/actions/setup)
        assertThat(ProjectStatus.TABLE.allowed(from, a -> a == ProjectStatus.Action.SETUP).contains(action))
                .isEqualTo(to != null && action == ProjectStatus.Action.SETUP);
    }
}
