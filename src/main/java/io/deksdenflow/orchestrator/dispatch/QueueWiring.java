package io.deksdenflow.orchestrator.dispatch;

import io.deksdenflow.orchestrator.common.CancelRequested;
import io.deksdenflow.orchestrator.worker.CancelSignals;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Connects the domain's after-commit cancel requests to the workers' cancel channel. */
@Component
class QueueWiring {
    private final CancelSignals cancels;

    QueueWiring(CancelSignals cancels) {
        this.cancels = cancels;
    }

    @EventListener
    void cancelRequested(CancelRequested e) {
        cancels.publish(e.protocolRunId(), null);
    }
}
