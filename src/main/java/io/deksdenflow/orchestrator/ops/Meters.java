package io.deksdenflow.orchestrator.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The domain counters, with bounded label values only (types, outcomes, verdicts, engine names).
 * A model is a label value only when it is listed in DEKSDENFLOW_METRICS_MODELS, else {@code other}:
 * models are chosen per project, so they are client input.
 */
@Component
public class Meters {
    public static final String OTHER_MODEL = "other";
    private final MeterRegistry registry;
    private final Set<String> models;

    public Meters(MeterRegistry registry, MetricsSettings settings) {
        this.registry = registry;
        this.models = Set.copyOf(settings.metricsModels());
    }

    /** The bounded label of a model. */
    String modelLabel(String model) {
        return model != null && models.contains(model.trim()) ? model.trim() : OTHER_MODEL;
    }

    public void jobProcessed(String jobType, String outcome, Duration duration) {
        Counter.builder("jobs_processed").tag("job_type", jobType).tag("outcome", outcome).register(registry).increment();
        if (duration != null) {
            Timer.builder("job_duration").tag("job_type", jobType).publishPercentileHistogram()
                    .register(registry).record(duration);
        }
    }

    public void engineUsage(String engine, String model, String phase, long tokensIn, long tokensOut, Double costUsd) {
        String m = modelLabel(model);
        Counter.builder("engine_tokens").tag("engine", engine).tag("model", m).tag("phase", phase).tag("kind", "input")
                .register(registry).increment(tokensIn);
        Counter.builder("engine_tokens").tag("engine", engine).tag("model", m).tag("phase", phase).tag("kind", "output")
                .register(registry).increment(tokensOut);
        if (costUsd != null) {
            DistributionSummary.builder("engine_cost_usd").tag("engine", engine).tag("phase", phase)
                    .register(registry).record(costUsd);
        }
    }

    public void qaVerdict(String verdict) {
        Counter.builder("qa_verdicts").tag("verdict", verdict).register(registry).increment();
    }

    public void qaCheck(boolean passed) {
        Counter.builder("qa_checks").tag("outcome", passed ? "passed" : "failed").register(registry).increment();
    }

    public void budgetEvent(String kind) {
        Counter.builder("budget_events").tag("kind", kind).register(registry).increment();
    }
}
