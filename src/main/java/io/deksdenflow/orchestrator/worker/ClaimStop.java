package io.deksdenflow.orchestrator.worker;

import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.service.ServiceHelper;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * On stop, suspends {@code worker-claim}'s consumer and waits for its current claim (at most a slot wait plus
 * one blocking read, ~0.3 s) before Camel's graceful shutdown begins. Without it Camel finds the claim in flight
 * and waits in whole seconds for it. Phase: with the web server's stop, just above Camel's (Integer.MAX_VALUE − 2049).
 */
final class ClaimStop implements SmartLifecycle {
    static final int PHASE = Integer.MAX_VALUE - 2048;
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Looked up at stop: taking the CamelContext while beans are created would start it before its routes exist. */
    private final ObjectProvider<CamelContext> camel;
    private volatile boolean running;

    ClaimStop(ObjectProvider<CamelContext> camel) {
        this.camel = camel;
    }

    @Override
    public void start() { running = true; }

    @Override
    public void stop() {
        running = false;
        CamelContext context = camel.getIfAvailable();
        Route route = context == null ? null : context.getRoute(WorkerRoutes.CLAIM_ROUTE_ID);
        if (route == null) return;
        ServiceHelper.suspendService(route.getConsumer());
        long until = System.nanoTime() + MAX_WAIT_NANOS;
        while (context.getInflightRepository().size(WorkerRoutes.CLAIM_ROUTE_ID) > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() { return running; }

    @Override
    public int getPhase() { return PHASE; }
}
