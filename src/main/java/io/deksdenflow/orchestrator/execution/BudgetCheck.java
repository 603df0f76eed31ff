package io.deksdenflow.orchestrator.execution;

import io.deksdenflow.orchestrator.budget.BudgetSettings;
import io.deksdenflow.orchestrator.budget.BudgetSettings.BudgetMode;
import io.deksdenflow.orchestrator.engine.Engine;
import io.deksdenflow.orchestrator.project.Budget;
import io.deksdenflow.orchestrator.protocol.ProtocolRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Budgets before (and after) an agent call: tokens and dollars already used by the step, the
 * protocol and the project this month, plus this call's estimate, must stay within each limit
 * (0 = unlimited). STRICT blocks, PAUSE pauses the protocol until {@code raise_budget}, WARN lets the
 * call run with a warning, OFF allows everything.
 */
final class BudgetCheck {
    private BudgetCheck() {}

    public enum Outcome { ALLOW, WARN, BLOCK, PAUSE }

    /** One limit: {@code name} as in the API ({@code max_tokens_per_step}, ...), where it was set. */
    public record Limit(String name, double max, String source) {
        boolean tokens() { return name.startsWith("max_tokens"); }
    }

    /** What is used so far, per scope. */
    public record Usage(long stepTokens, long protocolTokens, double stepCost, double protocolCost, double projectMonthCost) {
        double of(Limit l) {
            return switch (l.name()) {
                case "max_tokens_per_step" -> stepTokens;
                case "max_tokens_per_protocol" -> protocolTokens;
                case "max_cost_usd_per_step" -> stepCost;
                case "max_cost_usd_per_protocol" -> protocolCost;
                default -> projectMonthCost;
            };
        }
    }

    /** The coming call's estimate: prompt tokens (chars/4) and their price as input. */
    public record Estimate(long tokens, double costUsd) {}

    public record Decision(Outcome outcome, String reason, Limit limit, double used, double estimate) {
        static final Decision ALLOW = new Decision(Outcome.ALLOW, null, null, 0, 0);
        public boolean blocked() { return outcome == Outcome.BLOCK; }
    }

    /** The configured limits, for a prompt about to be sent. */
    public static Decision check(BudgetSettings settings, long stepTokensUsed, long protocolTokensUsed, String prompt) {
        return check(settings.tokenBudgetMode(), settings.maxTokensPerStep(), settings.maxTokensPerProtocol(),
                stepTokensUsed, protocolTokensUsed, Engine.estimateTokens(prompt));
    }

    public static Decision check(BudgetMode mode, long maxPerStep, long maxPerProtocol,
                                 long stepTokensUsed, long protocolTokensUsed, long promptEstimate) {
        return check(mode, List.of(
                        new Limit("max_tokens_per_step", maxPerStep, "DEKSDENFLOW_MAX_TOKENS_PER_STEP"),
                        new Limit("max_tokens_per_protocol", maxPerProtocol, "DEKSDENFLOW_MAX_TOKENS_PER_PROTOCOL")),
                new Usage(stepTokensUsed, protocolTokensUsed, 0, 0, 0), new Estimate(promptEstimate, 0));
    }

    public static Decision check(BudgetMode mode, List<Limit> limits, Usage usage, Estimate estimate) {
        if (mode == BudgetMode.OFF) return Decision.ALLOW;
        for (Limit l : limits) {
            if (l.max() <= 0) continue;
            double used = usage.of(l);
            double est = l.tokens() ? estimate.tokens() : estimate.costUsd();
            if (used + est <= l.max() + 1e-12) continue;
            Outcome o = switch (mode) {
                case STRICT -> Outcome.BLOCK;
                case PAUSE -> Outcome.PAUSE;
                default -> Outcome.WARN;
            };
            return new Decision(o, reason(l, used, est), l, used, est);
        }
        return Decision.ALLOW;
    }

    /**
     * The limits that apply to a protocol's calls, each the first set of: the protocol's own raised
     * limit ({@code raise_budget}; it replaces every limit of its unit), the project's {@code budget},
     * the setting.
     */
    public static List<Limit> limits(BudgetSettings s, Budget project, ProtocolRun protocol) {
        Budget b = project == null ? Budget.NONE : project;
        List<Limit> out = new ArrayList<>();
        if (protocol != null && protocol.maxTokens() != null) {
            out.add(new Limit("max_tokens_per_protocol", protocol.maxTokens(), "raise_budget"));
        } else {
            out.add(pick("max_tokens_per_step", b.maxTokensPerStep(), s.maxTokensPerStep(), "DEKSDENFLOW_MAX_TOKENS_PER_STEP"));
            out.add(pick("max_tokens_per_protocol", b.maxTokensPerProtocol(), s.maxTokensPerProtocol(),
                    "DEKSDENFLOW_MAX_TOKENS_PER_PROTOCOL"));
        }
        if (protocol != null && protocol.maxCostUsd() != null) {
            out.add(new Limit("max_cost_usd_per_protocol", protocol.maxCostUsd(), "raise_budget"));
        } else {
            out.add(pick("max_cost_usd_per_step", b.maxCostUsdPerStep(), s.maxCostUsdPerStep(), "DEKSDENFLOW_MAX_COST_USD_PER_STEP"));
            out.add(pick("max_cost_usd_per_protocol", b.maxCostUsdPerProtocol(), s.maxCostUsdPerProtocol(),
                    "DEKSDENFLOW_MAX_COST_USD_PER_PROTOCOL"));
            out.add(pick("max_cost_usd_per_project_month", b.maxCostUsdPerProjectMonth(), s.maxCostUsdPerProjectMonth(),
                    "DEKSDENFLOW_MAX_COST_USD_PER_PROJECT_MONTH"));
        }
        return out;
    }

    private static Limit pick(String name, Number project, double setting, String variable) {
        return project != null ? new Limit(name, project.doubleValue(), "project budget." + name)
                : new Limit(name, setting, variable);
    }

    private static String reason(Limit l, double used, double est) {
        String scope = switch (l.name()) {
            case "max_tokens_per_step", "max_cost_usd_per_step" -> "step";
            case "max_tokens_per_protocol", "max_cost_usd_per_protocol" -> "protocol";
            default -> "project monthly";
        };
        if (l.tokens()) {
            return scope + " token budget exceeded: " + (long) used + " used + " + (long) est
                    + " estimated for this prompt > " + (long) l.max() + " (" + l.source() + ")";
        }
        return scope + " cost budget exceeded: $" + usd(used) + " used + $" + usd(est) + " estimated for this prompt > $"
                + usd(l.max()) + " (" + l.source() + ")";
    }

    static String usd(double d) {
        return String.format(Locale.ROOT, "%.4f", d);
    }
}
