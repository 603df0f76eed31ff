package io.deksdenflow.orchestrator.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.deksdenflow.orchestrator.budget.BudgetSettings;
import io.deksdenflow.orchestrator.budget.BudgetSettings.BudgetMode;
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
        BudgetSettings s = BudgetSettings.defaults().withMaxTokensPerProtocol(100);
        assertThat(BudgetCheck.check(s, 0, 90, "x".repeat(40)).outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(BudgetCheck.check(s, 0, 90, "x".repeat(41)).outcome()).isEqualTo(Outcome.BLOCK);
        s = s.withTokenBudgetMode(BudgetMode.WARN);
        assertThat(BudgetCheck.check(s, 0, 90, "x".repeat(41)).outcome()).isEqualTo(Outcome.WARN);
    }

    @Test
    void dollarsAndThePauseModeWithTheLimitsResolvedProtocolProjectSetting() {
        BudgetSettings s = BudgetSettings.defaults().withMaxCostUsdPerProtocol(1.0).withMaxCostUsdPerProjectMonth(50)
                .withMaxTokensPerStep(100);
        var project = new io.deksdenflow.orchestrator.project.Budget(1000L, null, null, 2.0, null);
        var limits = BudgetCheck.limits(s, project, null);
        assertThat(limits).extracting(BudgetCheck.Limit::name, BudgetCheck.Limit::max).containsExactly(
                org.assertj.core.groups.Tuple.tuple("max_tokens_per_step", 1000.0),      // the project's wins
                org.assertj.core.groups.Tuple.tuple("max_tokens_per_protocol", 0.0),
                org.assertj.core.groups.Tuple.tuple("max_cost_usd_per_step", 0.0),
                org.assertj.core.groups.Tuple.tuple("max_cost_usd_per_protocol", 2.0),    // the project's wins
                org.assertj.core.groups.Tuple.tuple("max_cost_usd_per_project_month", 50.0));
        BudgetCheck.Decision d = BudgetCheck.check(BudgetMode.PAUSE, limits,
                new BudgetCheck.Usage(0, 0, 0, 1.9, 1.9), new BudgetCheck.Estimate(10, 0.2));
        assertThat(d.outcome()).isEqualTo(Outcome.PAUSE);
        assertThat(d.limit().name()).isEqualTo("max_cost_usd_per_protocol");
        assertThat(d.reason()).isEqualTo("protocol cost budget exceeded: $1.9000 used + $0.2000 estimated for this prompt"
                + " > $2.0000 (project budget.max_cost_usd_per_protocol)");
        assertThat(BudgetCheck.check(BudgetMode.PAUSE, limits,
                new BudgetCheck.Usage(0, 0, 0, 1.0, 49.9), new BudgetCheck.Estimate(10, 0.2)).limit().name())
                .isEqualTo("max_cost_usd_per_project_month");
        // a protocol's raised limits replace every limit of their unit
        var raised = new io.deksdenflow.orchestrator.protocol.ProtocolRun(1, 1, "0001-x", null, "main", null, false,
                io.deksdenflow.orchestrator.protocol.ProtocolStatus.PAUSED, null, null, null, 0, null, 0, null, 0, 0, 0,
                null, 5000L, 10.0, null);
        assertThat(BudgetCheck.limits(s, project, raised)).extracting(BudgetCheck.Limit::name, BudgetCheck.Limit::max)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("max_tokens_per_protocol", 5000.0),
                        org.assertj.core.groups.Tuple.tuple("max_cost_usd_per_protocol", 10.0));
    }
}
