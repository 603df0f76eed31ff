package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.config.Settings;
import io.deksdenflow.orchestrator.config.Settings.BudgetMode;
import io.deksdenflow.orchestrator.engine.Engine;

/**
 * Token budget before an agent call: tokens already used by the step and by the whole protocol
 * plus this prompt's estimate must stay within the limits (0 = unlimited). STRICT blocks, WARN
 * lets the call run with a warning, OFF allows everything.
 */
public final class BudgetCheck {
    private BudgetCheck() {}

    public enum Outcome { ALLOW, WARN, BLOCK }

    public record Decision(Outcome outcome, String reason) {
        static final Decision ALLOW = new Decision(Outcome.ALLOW, null);
        public boolean blocked() { return outcome == Outcome.BLOCK; }
    }

    /** The configured limits, for a prompt about to be sent. */
    public static Decision check(Settings settings, long stepTokensUsed, long protocolTokensUsed, String prompt) {
        return check(settings.getTokenBudgetMode(), settings.getMaxTokensPerStep(), settings.getMaxTokensPerProtocol(),
                stepTokensUsed, protocolTokensUsed, Engine.estimateTokens(prompt));
    }

    public static Decision check(BudgetMode mode, long maxPerStep, long maxPerProtocol,
                                 long stepTokensUsed, long protocolTokensUsed, long promptEstimate) {
        if (mode == BudgetMode.OFF) return Decision.ALLOW;
        String reason = over("step", maxPerStep, stepTokensUsed, promptEstimate, "DEKSDENFLOW_MAX_TOKENS_PER_STEP");
        if (reason == null) {
            reason = over("protocol", maxPerProtocol, protocolTokensUsed, promptEstimate, "DEKSDENFLOW_MAX_TOKENS_PER_PROTOCOL");
        }
        if (reason == null) return Decision.ALLOW;
        return new Decision(mode == BudgetMode.STRICT ? Outcome.BLOCK : Outcome.WARN, reason);
    }

    private static String over(String scope, long max, long used, long estimate, String setting) {
        if (max <= 0 || used + estimate <= max) return null;
        return scope + " token budget exceeded: " + used + " used + " + estimate + " estimated for this prompt > "
                + max + " (" + setting + ")";
    }
}
