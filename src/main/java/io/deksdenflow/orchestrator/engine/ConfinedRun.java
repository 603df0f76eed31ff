package io.deksdenflow.orchestrator.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A confined spec and the run's egress path (nullable), open until closed after the process ended. */
public record ConfinedRun(ProcessSpec spec, AutoCloseable egress) implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfinedRun.class);

    @Override
    public void close() {
        if (egress == null) return;
        try {
            egress.close();
        } catch (Exception e) {
            log.warn("closing the agent egress path failed: {}", e.toString());
        }
    }
}
