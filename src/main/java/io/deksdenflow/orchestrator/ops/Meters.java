package io.deksdenflow.orchestrator.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/** The domain counters, with bounded label values only (types, outcomes, verdicts, engine names). */
@Component
public class Meters {
    private final MeterRegistry registry;

    public Meters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void jobProcessed(String jobType, String outcome, Duration duration) {
        Counter.builder("jobs_processed").tag("job_type", jobType).tag("outcome", outcome).register(registry).increment();
        if (duration != null) {
            Timer.builder("job_duration").tag("job_type", jobType).publishPercentileHistogram()
                    .register(registry).record(duration);
        }
    }

    public void engineUsage(String engine, String model, String phase, long tokensIn, long tokensOut, Double costUsd) {
        String m = model == null || model.isBlank() ? "default" : model.length() > 64 ? model.substring(0, 64) : model;
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

    public void budgetEvent(String kind) {
        Counter.builder("budget_events").tag("kind", kind).register(registry).increment();
    }
}
