package io.deksdenflow.orchestrator.ops;

import java.util.Map;

/** GET /health: {@code status} ok | degraded; {@code checks}: each probe's ok | down, and the agent sandbox. */
public record HealthView(String status, Map<String, Object> checks) {}
