package io.deksdenflow.orchestrator.ops;

/** One dependency /health checks (database, Redis). */
interface HealthProbe {
    String name();

    /** True when the dependency answered within its timeout. Never throws. */
    boolean up();
}
