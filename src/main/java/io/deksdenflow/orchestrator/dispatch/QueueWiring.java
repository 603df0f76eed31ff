package io.deksdenflow.orchestrator.dispatch;

import io.deksdenflow.orchestrator.common.CancelRequested;
import io.deksdenflow.orchestrator.ops.HealthProbe;
import io.deksdenflow.orchestrator.queue.RedisHealth;
import io.deksdenflow.orchestrator.worker.CancelSignals;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Connects the domain's after-commit signals to the queue (cancel signals) and Redis to the health check. */
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
        private final CancelSignals cancels;

        Signals(CancelSignals cancels) {
            this.cancels = cancels;
        }

        @EventListener
        void cancelRequested(CancelRequested e) {
            cancels.publish(e.protocolRunId(), null);
        }
    }
}
