package io.deksdenflow.orchestrator.dispatch;

import io.deksdenflow.orchestrator.common.CancelRequested;
import io.deksdenflow.orchestrator.queue.OutboxRelay;
import io.deksdenflow.orchestrator.worker.CancelSignals;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Connects the domain's after-commit signals to the queue: relay nudges and cancel signals. */
@Configuration(proxyBeanMethods = false)
class QueueWiring {

    @Component
    static class Signals {
        private final OutboxRelay relay;
        private final CancelSignals cancels;

        Signals(OutboxRelay relay, CancelSignals cancels) {
            this.relay = relay;
            this.cancels = cancels;
        }

        @EventListener
        void outboxWritten(JobEnqueuer.OutboxWritten e) {
            relay.poke();
        }

        @EventListener
        void cancelRequested(CancelRequested e) {
            cancels.publish(e.protocolRunId(), null);
        }
    }
}
