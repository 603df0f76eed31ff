package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.ValidationException;

/**
 * A project's budget limits; each one optional (null: the setting applies). A project's value wins
 * over the DEKSDENFLOW_MAX_* setting; 0 means no limit.
 */
public record Budget(Long maxTokensPerStep, Long maxTokensPerProtocol, Double maxCostUsdPerStep,
                     Double maxCostUsdPerProtocol, Double maxCostUsdPerProjectMonth) {

    public static final Budget NONE = new Budget(null, null, null, null, null);

    /** null stays NONE; a negative or non-finite limit is a 422 naming {@code field.limit}. */
    public static Budget require(String field, Budget b) {
        if (b == null) return NONE;
        nonNegative(field + ".max_tokens_per_step", b.maxTokensPerStep());
        nonNegative(field + ".max_tokens_per_protocol", b.maxTokensPerProtocol());
        nonNegative(field + ".max_cost_usd_per_step", b.maxCostUsdPerStep());
        nonNegative(field + ".max_cost_usd_per_protocol", b.maxCostUsdPerProtocol());
        nonNegative(field + ".max_cost_usd_per_project_month", b.maxCostUsdPerProjectMonth());
        return b;
    }

    public boolean isEmpty() { return equals(NONE); }

    private static void nonNegative(String field, Number n) {
        if (n == null) return;
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d) || d < 0) {
            throw new ValidationException(field, field + " must be a number >= 0 (0 = no limit)");
        }
        if (d > 1e12) throw new ValidationException(field, field + " is too large");
    }
}
