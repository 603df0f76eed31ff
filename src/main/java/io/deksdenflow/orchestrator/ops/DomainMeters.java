package io.deksdenflow.orchestrator.ops;

import io.deksdenflow.orchestrator.queue.QueueInspector;
import io.deksdenflow.orchestrator.queue.OutboxStore;
import io.deksdenflow.orchestrator.protocol.ProtocolStatus;
import io.deksdenflow.orchestrator.protocol.ProtocolStore;
import io.deksdenflow.orchestrator.queue.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Gauges read from the stores and the queue every 10 s (never on the scrape path): protocol runs by
 * status, queue depth per state, pending outbox rows. Counters live where things happen
 * ({@link Meters}).
 */
@Component
class DomainMeters implements DisposableBean {
    private final ProtocolStore protocols;
    private final OutboxStore outbox;
    private final QueueInspector queue;
    private final MultiGauge protocolRuns;
    private final MultiGauge queueJobs;
    private volatile long outboxPending;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "domain-meters");
        t.setDaemon(true);
        return t;
    });

    DomainMeters(MeterRegistry registry, ProtocolStore protocols, OutboxStore outbox, QueueInspector queue) {
        this.protocols = protocols;
        this.outbox = outbox;
        this.queue = queue;
        this.protocolRuns = MultiGauge.builder("protocol_runs").description("protocol runs by status").register(registry);
        this.queueJobs = MultiGauge.builder("queue_jobs").description("jobs in the Redis queue by state").register(registry);
        Gauge.builder("outbox_pending", this, m -> m.outboxPending).description("outbox rows not yet in Redis").register(registry);
        refresher.scheduleWithFixedDelay(this::refresh, 1, 10, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    void refresh() {
        try {
            Map<String, Long> byStatus = protocols.countByStatus();
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (ProtocolStatus s : ProtocolStatus.values()) {
                // by the stored status: a plan awaiting approval (shown as planned) has its own series
                rows.add(MultiGauge.Row.of(Tags.of("status", s.db()), byStatus.getOrDefault(s.db(), 0L)));
            }
            protocolRuns.register(rows, true);
            outboxPending = outbox.pendingCount();
            Map<String, Object> queues = (Map<String, Object>) queue.summary().get("queues");
            Map<String, Object> def = (Map<String, Object>) queues.get("default");
            List<MultiGauge.Row<?>> q = new ArrayList<>();
            for (JobStatus s : JobStatus.values()) {
                Object v = def == null ? null : def.get(s.key());
                q.add(MultiGauge.Row.of(Tags.of("state", s.key()), v instanceof Number n ? n.doubleValue() : 0));
            }
            queueJobs.register(q, true);
        } catch (RuntimeException e) {
            // a database or Redis outage shows on /health; the gauges keep their last values
        }
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
    }
}
