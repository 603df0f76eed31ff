package io.deksdenflow.orchestrator.budget;

import io.deksdenflow.orchestrator.config.SettingsBinding;
import io.deksdenflow.orchestrator.config.SettingsChecks;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token and cost budgets (DEKSDENFLOW_MAX_TOKENS_PER_STEP, _MAX_TOKENS_PER_PROTOCOL,
 * _MAX_COST_USD_PER_STEP, _MAX_COST_USD_PER_PROTOCOL, _MAX_COST_USD_PER_PROJECT_MONTH; 0 = no limit), what a
 * call over one does (DEKSDENFLOW_TOKEN_BUDGET_MODE) and the price table (DEKSDENFLOW_MODEL_PRICES).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public record BudgetSettings(
        @DefaultValue("0") long maxTokensPerStep,
        @DefaultValue("0") long maxTokensPerProtocol,
        @DefaultValue("strict") BudgetMode tokenBudgetMode,
        @DefaultValue("0") double maxCostUsdPerStep,
        @DefaultValue("0") double maxCostUsdPerProtocol,
        @DefaultValue("0") double maxCostUsdPerProjectMonth,
        @DefaultValue("") String modelPrices) {

    /** DEKSDENFLOW_TOKEN_BUDGET_MODE. */
    public enum BudgetMode { STRICT, PAUSE, WARN, OFF }

    public BudgetSettings {
        SettingsChecks.atLeast("DEKSDENFLOW_MAX_TOKENS_PER_STEP", maxTokensPerStep, 0);
        SettingsChecks.atLeast("DEKSDENFLOW_MAX_TOKENS_PER_PROTOCOL", maxTokensPerProtocol, 0);
        if (tokenBudgetMode == null) {
            throw new IllegalArgumentException("DEKSDENFLOW_TOKEN_BUDGET_MODE must be strict, pause, warn or off");
        }
        SettingsChecks.atLeast("DEKSDENFLOW_MAX_COST_USD_PER_STEP", maxCostUsdPerStep, 0.0);
        SettingsChecks.atLeast("DEKSDENFLOW_MAX_COST_USD_PER_PROTOCOL", maxCostUsdPerProtocol, 0.0);
        SettingsChecks.atLeast("DEKSDENFLOW_MAX_COST_USD_PER_PROJECT_MONTH", maxCostUsdPerProjectMonth, 0.0);
        modelPrices = SettingsChecks.orEmpty(modelPrices);
    }

    public static BudgetSettings defaults() { return SettingsBinding.defaults(BudgetSettings.class); }

    public BudgetSettings withMaxTokensPerStep(long v) {
        return new BudgetSettings(v, maxTokensPerProtocol, tokenBudgetMode, maxCostUsdPerStep, maxCostUsdPerProtocol,
                maxCostUsdPerProjectMonth, modelPrices);
    }

    public BudgetSettings withMaxTokensPerProtocol(long v) {
        return new BudgetSettings(maxTokensPerStep, v, tokenBudgetMode, maxCostUsdPerStep, maxCostUsdPerProtocol,
                maxCostUsdPerProjectMonth, modelPrices);
    }

    public BudgetSettings withTokenBudgetMode(BudgetMode v) {
        return new BudgetSettings(maxTokensPerStep, maxTokensPerProtocol, v, maxCostUsdPerStep, maxCostUsdPerProtocol,
                maxCostUsdPerProjectMonth, modelPrices);
    }

    public BudgetSettings withMaxCostUsdPerProtocol(double v) {
        return new BudgetSettings(maxTokensPerStep, maxTokensPerProtocol, tokenBudgetMode, maxCostUsdPerStep, v,
                maxCostUsdPerProjectMonth, modelPrices);
    }

    public BudgetSettings withMaxCostUsdPerProjectMonth(double v) {
        return new BudgetSettings(maxTokensPerStep, maxTokensPerProtocol, tokenBudgetMode, maxCostUsdPerStep,
                maxCostUsdPerProtocol, v, modelPrices);
    }

    public BudgetSettings withModelPrices(String v) {
        return new BudgetSettings(maxTokensPerStep, maxTokensPerProtocol, tokenBudgetMode, maxCostUsdPerStep,
                maxCostUsdPerProtocol, maxCostUsdPerProjectMonth, v);
    }
}
