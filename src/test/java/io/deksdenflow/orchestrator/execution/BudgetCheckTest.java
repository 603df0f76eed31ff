package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.config.Settings.BudgetMode;
import io.deksdenflow.orchestrator.execution.BudgetCheck.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetCheckTest {

    @ParameterizedTest(name = "{0} step<={1} protocol<={2} used {3}/{4} +{5} -> {6}")
    @CsvSource({
            // mode,  maxStep, maxProtocol, stepUsed, protocolUsed, estimate, outcome
            "STRICT, 0,    0,     999999, 999999, 999999, ALLOW",
            "STRICT, 1000, 0,     0,      0,      1000,   ALLOW",
            "STRICT, 1000, 0,     500,    0,      501,    BLOCK",
            "WARN,   1000, 0,     500,    0,      501,    WARN",
            "OFF,    1000, 0,     500,    0,      501,    ALLOW",
            "STRICT, 0,    5000,  0,      4900,   100,    ALLOW",
            "STRICT, 0,    5000,  0,      4901,   100,    BLOCK",
            "WARN,   0,    5000,  0,      4901,   100,    WARN",
            "STRICT, 1000, 5000,  10,     9000,   10,     BLOCK",
            "OFF,    1,    1,     10,     10,     10,     ALLOW",
    })
    void table(BudgetMode mode, long maxStep, long maxProtocol, long stepUsed, long protocolUsed, long estimate, Outcome expected) {
        BudgetCheck.Decision d = BudgetCheck.check(mode, maxStep, maxProtocol, stepUsed, protocolUsed, estimate);
        assertThat(d.outcome()).isEqualTo(expected);
        assertThat(d.reason() == null).isEqualTo(expected == Outcome.ALLOW);
    }

    @Test
    void reasonNamesTheLimitAndTheNumbers() {
        assertThat(BudgetCheck.check(BudgetMode.STRICT, 1000, 0, 800, 800, 300).reason())
                .isEqualTo("step token budget exceeded: 800 used + 300 estimated for this prompt > 1000 (DEKSDENFLOW_MAX_TOKENS_PER_STEP)");
        assertThat(BudgetCheck.check(BudgetMode.WARN, 0, 2000, 0, 1900, 300).reason())
                .contains("protocol token budget exceeded").contains("DEKSDENFLOW_MAX_TOKENS_PER_PROTOCOL");
        assertThat(BudgetCheck.check(BudgetMode.STRICT, 1000, 0, 800, 800, 300).blocked()).isTrue();
    }

    @Test
    void readsTheSettingsAndEstimatesThePromptAtCharsOverFour() {
        io.deksdenflow.orchestrator.config.Settings s = new io.deksdenflow.orchestrator.config.Settings();
        s.setMaxTokensPerProtocol(100);
        assertThat(BudgetCheck.check(s, 0, 90, "x".repeat(40)).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(BudgetCheck.check(s, 0, 90, "x".repeat(41)).outcome()).isEqualTo(Outcome.BLOCK);
        s.setTokenBudgetMode(BudgetMode.WARN);
        assertThat(BudgetCheck.check(s, 0, 90, "x".repeat(41)).outcome()).isEqualTo(Outcome.WARN);
    }
}
