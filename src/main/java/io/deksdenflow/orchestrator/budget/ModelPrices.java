package io.deksdenflow.orchestrator.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Map.Entry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code DEKSDENFLOW_MODEL_PRICES}: a JSON file, or inline JSON, of per-model USD per million tokens,
 * {@code {"gpt-5": {"input": 1.25, "cached_input": 0.125, "output": 10}}}. A model missing from
 * the table costs nothing and is flagged ({@code cost_source: unpriced}). Read once at start-up; a
 * malformed table fails start-up naming the setting.
 */
@Component
public class ModelPrices {
    static final String SETTING = "DEKSDENFLOW_MODEL_PRICES";
    private static final double MILLION = 1_000_000d;

    /** USD per million input, cached-input and output tokens. */
    public record Price(double input, double cachedInput, double output) {}

    /** What a call cost and where the figure came from: reported, price_table or unpriced. */
    public record Cost(Double usd, String source) {
        public static final String REPORTED = "reported";
        public static final String PRICE_TABLE = "price_table";
        public static final String UNPRICED = "unpriced";
    }

    private final Map<String, Price> prices;

    @Autowired
    public ModelPrices(BudgetSettings settings) {
        this(parse(settings.modelPrices()));
    }

    ModelPrices(Map<String, Price> prices) {
        this.prices = Map.copyOf(prices);
    }

    public Map<String, Price> table() { return prices; }

    /**
     * The cost of one call: the engine's own figure when it reported one (Claude's total_cost_usd),
     * else tokens × the model's prices; {@code tokensIn} includes {@code tokensCached}.
     */
    public Cost cost(String model, long tokensIn, long tokensCached, long tokensOut, Double reported) {
        if (reported != null) return new Cost(reported, Cost.REPORTED);
        Price p = model == null ? null : prices.get(model.trim());
        if (p == null) return new Cost(0.0, Cost.UNPRICED);
        long cached = Math.min(Math.max(tokensCached, 0), tokensIn);
        double usd = ((tokensIn - cached) * p.input() + cached * p.cachedInput() + tokensOut * p.output()) / MILLION;
        return new Cost(usd, Cost.PRICE_TABLE);
    }

    /** What a prompt of {@code tokens} would cost as uncached input (0 for an unknown model). */
    public double estimate(String model, long tokens) {
        Price p = model == null ? null : prices.get(model.trim());
        return p == null ? 0.0 : tokens * p.input() / MILLION;
    }

    static Map<String, Price> parse(String setting) {
        if (setting == null || setting.isBlank()) return Map.of();
        String text = setting.strip();
        try {
            if (!text.startsWith("{")) text = Files.readString(Path.of(text));
        } catch (IOException e) {
            throw new IllegalStateException(SETTING + ": cannot read the price file " + setting + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(SETTING + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new IllegalStateException(SETTING + " must be a JSON object of models");
        Map<String, Price> out = new LinkedHashMap<>();
        for (Iterator<Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!v.isObject()) throw new IllegalStateException(SETTING + ": " + e.getKey() + " must be an object");
            for (Iterator<String> names = v.fieldNames(); names.hasNext(); ) {
                String n = names.next();
                if (!n.equals("input") && !n.equals("cached_input") && !n.equals("output")) {
                    throw new IllegalStateException(SETTING + ": " + e.getKey() + "." + n
                            + " is not one of input, cached_input, output");
                }
            }
            double input = number(e.getKey(), "input", v.get("input"));
            double output = number(e.getKey(), "output", v.get("output"));
            double cached = v.has("cached_input") ? number(e.getKey(), "cached_input", v.get("cached_input")) : input;
            out.put(e.getKey().trim(), new Price(input, cached, output));
        }
        return out;
    }

    private static double number(String model, String field, JsonNode n) {
        if (n == null || !n.isNumber() || n.asDouble() < 0 || !Double.isFinite(n.asDouble())) {
            throw new IllegalStateException(SETTING + ": " + model + "." + field + " must be a number >= 0 (USD per million tokens)");
        }
        return n.asDouble();
    }
}
