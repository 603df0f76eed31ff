package io.deksdenflow.orchestrator.dispatch;

import io.deksdenflow.orchestrator.common.CancelRequested;
import io.deksdenflow.orchestrator.ops.HealthProbe;
import io.deksdenflow.orchestrator.queue.OutboxRelay;
import io.deksdenflow.orchestrator.queue.RedisHealth;
import io.deksdenflow.orchestrator.worker.CancelSignals;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Connects the domain's after-commit signals to the queue: relay nudges, cancel signals, health. */
@Configuration(proxyBeanMethods = false)
class QueueWiring {

    @Bean
    HealthProbe redisProbe(RedisHealth redis) {
        return new HealthProbe() {
            @Override
            public String name() { return "redis"; }

            @Override
            public boolean up() { return redis.ping(); }
        };
    }

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
