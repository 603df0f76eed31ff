package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * The jobs this worker process holds: one slot each out of workerConcurrency, a JobContext each, and
 * their leases, renewed every lease/3. A job whose lease was lost is cancelled here (someone else runs
 * it now); on shutdown, jobs still running are cancelled and handed back to the queue.
 */
final class RunningJobs implements AutoCloseable, SmartLifecycle, ApplicationListener<ContextClosedEvent> {
    private static final Logger log = LoggerFactory.getLogger(RunningJobs.class);

    private final RedisJobQueue queue;
    private final String workerId;
    private final Semaphore slots;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    private volatile boolean accepting = true;
    private volatile boolean lifecycleRunning;
    /** Stops after the Camel context (which gives running jobs the grace period), before the Redis connection. */
    static final int PHASE = Integer.MAX_VALUE - 4096;

    record Held(ClaimedJob job, JobContext context) {}

    RunningJobs(RedisJobQueue queue, String workerId, int concurrency, Duration lease) {
        this.queue = queue;
        this.workerId = workerId;
        this.slots = new Semaphore(concurrency);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "worker-leases");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // per-job timeout timers are cancelled when the job ends
        this.timers = executor;
        long every = Math.max(200, lease.toMillis() / 3);
        timers.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
    }

    String workerId() { return workerId; }

    /** Waits up to {@code wait} for at least one free slot, then takes every free slot up to {@code max}. */
    int acquireSlots(int max, Duration wait) throws InterruptedException {
        if (!slots.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) return 0;
        int more = Math.max(0, Math.min(max - 1, slots.availablePermits()));
        return 1 + (more > 0 && slots.tryAcquire(more) ? more : 0);
    }

    void releaseSlots(int n) {
        if (n > 0) slots.release(n);
    }

    void hold(ClaimedJob job) {
        held.put(job.jobId(), new Held(job, new JobContext(job.job(), workerId)));
    }

    /** The held job's context, or null when this worker no longer holds it (handed back on shutdown). */
    JobContext context(ClaimedJob job) {
        Held h = held.get(job.jobId());
        return h == null ? null : h.context();
    }

    /** The job left this worker (finished, failed, parked for retry): frees its slot. */
    void done(ClaimedJob job) {
        if (held.remove(job.jobId()) != null) slots.release();
    }

    /** The slot of {@code done} passes to {@code next}, a job claimed by the same worker thread. */
    void handOver(ClaimedJob done, ClaimedJob next) {
        held.remove(done.jobId());
        hold(next);
    }

    /** False once the application is stopping: no new jobs are taken. */
    boolean accepting() { return accepting; }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        accepting = false;
    }

    ScheduledExecutorService timers() { return timers; }

    /** Cancels running jobs named by a cancel signal (by job id or protocol run id). */
    int cancelMatching(CancelSignal signal) {
        int n = 0;
        for (Held h : held.values()) {
            boolean match = Objects.equals(signal.jobId(), h.job().jobId())
                    || (signal.protocolRunId() != null && signal.protocolRunId().equals(h.job().job().protocolRunId()));
            if (match) {
                h.context().cancel(signal.reason());
                n++;
            }
        }
        if (n > 0) log.info("cancel signal {} stopped {} running job(s)", signal, n);
        return n;
    }

    void renewLeases() {
        List<ClaimedJob> jobs = held.values().stream().map(Held::job).toList();
        if (jobs.isEmpty()) return;
        try {
            Set<String> lost = queue.renew(workerId, jobs);
            for (String id : lost) {
                Held h = held.get(id);
                if (h != null) {
                    log.warn("job {}: lease lost (another worker took it over); stopping it here", id);
                    h.context().cancel("lease lost");
                }
            }
        } catch (RuntimeException e) {
            log.warn("lease renewal failed for {} job(s): {}", jobs.size(), e.toString());
        }
    }

    @Override
    public void start() { lifecycleRunning = true; }

    /** After the grace period: hand jobs still running back to the queue while Redis is still connected. */
    @Override
    public void stop() {
        accepting = false;
        handBack();
        lifecycleRunning = false;
    }

    @Override
    public boolean isRunning() { return lifecycleRunning; }

    @Override
    public int getPhase() { return PHASE; }

    @Override
    public void close() {
        timers.shutdownNow();
        handBack();
    }

    /** Shutdown: cancel what still runs and hand it back to the queue, unchanged, for another worker. */
    void handBack() {
        List<Held> left = new ArrayList<>(held.values());
        if (left.isEmpty()) return;
        try {
            long n = queue.release(workerId, left.stream().map(Held::job).toList());
            log.warn("shutdown: handed {} running job(s) back to the queue", n);
        } catch (RuntimeException e) {
            log.warn("shutdown: could not hand {} job(s) back ({}); they return after their lease expires",
                    left.size(), e.toString());
        }
        left.forEach(h -> h.context().cancelWith(new WorkerStoppingException()));
        left.forEach(h -> held.remove(h.job().jobId()));
    }
}
