package io.deksdenflow.orchestrator.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void argvListsAndCommandLinesBecomeArgvWithADefaultTimeout() {
        List<Check> checks = Checks.require("checks", List.of(
                new Check.Spec("tests", List.of("mvn", "-q", "test"), null),
                new Check.Spec("lint", "npm run 'lint:ci' --silent", 30)));
        assertThat(checks.get(0)).isEqualTo(new Check("tests", List.of("mvn", "-q", "test"), Check.DEFAULT_TIMEOUT_SECONDS));
        assertThat(checks.get(1)).isEqualTo(new Check("lint", List.of("npm", "run", "lint:ci", "--silent"), 30));
        assertThat(Checks.require("checks", null)).isNull();
        assertThat(Checks.require("checks", List.of())).isEmpty();
    }

    @Test
    void refusesWhatCannotRunNamingTheField() {
        assertField(List.of(new Check.Spec("a", null, null)), "checks[0].command");
        assertField(List.of(new Check.Spec("a", "  ", null)), "checks[0].command");
        assertField(List.of(new Check.Spec("a", "echo 'unbalanced", null)), "checks[0].command");
        assertField(List.of(new Check.Spec("a", List.of(1), null)), "checks[0].command");
        assertField(List.of(new Check.Spec("a", 7, null)), "checks[0].command");
        assertField(List.of(new Check.Spec("a", "ls", 0)), "checks[0].timeout_seconds");
        assertField(List.of(new Check.Spec("a", "ls", null), new Check.Spec("a", "ls", null)), "checks[1].name");
        assertField(List.of(new Check.Spec("../x", "ls", null)), "checks[0].name");
        java.util.ArrayList<Check.Spec> nulls = new java.util.ArrayList<>();
        nulls.add(null);
        assertField(nulls, "checks[0]");
    }

    @Test
    void budgetsAreNonNegative() {
        assertThat(Budget.require("budget", null)).isEqualTo(Budget.NONE);
        assertThat(Budget.require("budget", new Budget(0L, 10L, 0.5, null, 100.0)).maxTokensPerProtocol()).isEqualTo(10L);
        assertThatThrownBy(() -> Budget.require("budget", new Budget(null, null, -0.01, null, null)))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("budget.max_cost_usd_per_step"));
        assertThatThrownBy(() -> Budget.require("budget", new Budget(null, null, null, Double.NaN, null)))
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo("budget.max_cost_usd_per_protocol"));
    }

    private static void assertField(List<Check.Spec> specs, String field) {
        assertThatThrownBy(() -> Checks.require("checks", specs)).isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).field()).isEqualTo(field));
    }
}
