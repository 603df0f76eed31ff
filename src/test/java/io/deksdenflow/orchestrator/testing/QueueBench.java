package io.deksdenflow.orchestrator.testing;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import io.deksdenflow.orchestrator.worker.JobOutcomeListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.CamelContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Queue benchmark (run by bench/queue-bench.sh): no-op jobs through enqueue → claim → ack, 20,000
 * enqueued in bulk, one worker at concurrency 1 and 8; then enqueue-to-start latency at 500 jobs/s
 * for 10 s. Also the raw queue without Camel, to show the Camel share. Writes docs/benchmarks.md.
 */
public final class QueueBench {
    static final int BULK = 20_000;

    private QueueBench() {}

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379/14";
        Path out = Path.of(args.length > 1 ? args[1] : "docs/benchmarks.md");
        String command = args.length > 2 ? args[2] : "bench/queue-bench.sh";

        String loadBefore = loadAverage();
        double raw = rawQueue(url, 8, 100);
        double raw1 = rawQueue(url, 8, 1);
        double c1 = throughput(url, 1);
        double c8 = throughput(url, 8);
        double[] latency = latency(url, 8, 500, Duration.ofSeconds(10));
        String load = loadBefore + " before, " + loadAverage() + " after";
        String report = report(url, command, load, raw, raw1, c1, c8, latency);
        System.out.println(report);
        Files.writeString(out, report);
    }

    static ConfigurableApplicationContext worker(String url, int concurrency, JobOutcomeListener listener) {
        return TestApps.run(Map.of("deksdenflow.redis-url", url,
                "deksdenflow.worker-concurrency", Integer.toString(concurrency),
                "deksdenflow.job-lease-seconds", "60",
                "deksdenflow.job-timeout", "7200",
                "deksdenflow.queue-finished-max", "1000000",
                "logging.level.io.deksdenflow", "WARN"),
                ctx -> ctx.getBeanFactory().registerSingleton("benchListener", listener));
    }

    static List<Job> noops(int n) {
        List<Job> jobs = new ArrayList<>(n);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) jobs.add(Job.create(JobType.NOOP_JOB, null, null, null, 1, null, now));
        return jobs;
    }

    /** jobs/s with 20,000 pre-enqueued no-op jobs, through the Camel worker routes. */
    static double throughput(String url, int concurrency) throws Exception {
        Counting listener = new Counting(BULK);
        try (ConfigurableApplicationContext ctx = worker(url, concurrency, listener)) {
            RedisJobQueue queue = ctx.getBean(RedisJobQueue.class);
            CamelContext camel = ctx.getBean(CamelContext.class);
            camel.getRouteController().stopRoute("worker-claim");
            queue.purge();
            queue.ensureGroup();
            queue.pushAll(noops(BULK));
            long t0 = System.nanoTime();
            camel.getRouteController().startRoute("worker-claim");
            if (!listener.done.await(10, TimeUnit.MINUTES)) throw new IllegalStateException("bench did not finish");
            double secs = (System.nanoTime() - t0) / 1e9;
            double rate = BULK / secs;
            System.out.printf("concurrency %d: %d jobs in %.2f s = %.0f jobs/s (finished count %d)%n", concurrency, BULK,
                    secs, rate, queue.counts().get(JobStatus.FINISHED));
            queue.purge();
            return rate;
        }
    }

    /** p50/p99 enqueue-to-start at a fixed rate. */
    static double[] latency(String url, int concurrency, int perSecond, Duration length) throws Exception {
        int n = (int) (perSecond * length.toSeconds());
        Counting listener = new Counting(n);
        try (ConfigurableApplicationContext ctx = worker(url, concurrency, listener)) {
            RedisJobQueue queue = ctx.getBean(RedisJobQueue.class);
            CamelContext camel = ctx.getBean(CamelContext.class);
            camel.getRouteController().stopRoute("worker-claim");
            queue.purge();
            queue.ensureGroup();
            camel.getRouteController().startRoute("worker-claim");
            for (Job job : noops(200)) queue.push(job); // warm-up
            Thread.sleep(2000);
            listener.reset(n);
            long interval = 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            for (Job job : noops(n)) {
                long wait = next - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                listener.pushedAt.put(job.jobId(), System.nanoTime());
                queue.push(job);
                next += interval;
            }
            if (!listener.done.await(2, TimeUnit.MINUTES)) throw new IllegalStateException("latency run did not finish");
            long[] lat = listener.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            double p50 = lat[(int) (lat.length * 0.50)] / 1e6;
            double p99 = lat[(int) (lat.length * 0.99)] / 1e6;
            double max = lat[lat.length - 1] / 1e6;
            System.out.printf("latency at %d jobs/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
                    perSecond, p50, p99, max, lat.length);
            queue.purge();
            return new double[] {p50, p99, max, lat.length};
        }
    }

    /** The Redis queue alone (no Camel): claim batches of 100, ack in batches, `threads` claimers. */
    static double rawQueue(String url, int threads, int batch) throws Exception {
        Counting none = new Counting(0);
        try (ConfigurableApplicationContext ctx = worker(url, 1, none)) {
            ctx.getBean(CamelContext.class).getRouteController().stopRoute("worker-claim");
            RedisJobQueue queue = ctx.getBean(RedisJobQueue.class);
            RedisConnectionFactory factory = ctx.getBean(RedisConnectionFactory.class);
            queue.purge();
            queue.ensureGroup();
            queue.pushAll(noops(BULK));
            long t0 = System.nanoTime();
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String me = "raw-" + t;
                Thread th = new Thread(() -> {
                    try (RedisConnection c = factory.getConnection()) {
                        List<ClaimedJob> got = queue.claim(c, me, batch, null);
                        while (!got.isEmpty()) {
                            if (batch == 1) {
                                ClaimedJob next = queue.completeAndNext(got.get(0), true).next();
                                got = next == null ? List.of() : List.of(next);
                            } else {
                                queue.complete(me, got);
                                got = queue.claim(c, me, batch, null);
                            }
                        }
                    }
                });
                th.start();
                ts.add(th);
            }
            for (Thread th : ts) th.join();
            double secs = (System.nanoTime() - t0) / 1e9;
            long finished = queue.counts().get(JobStatus.FINISHED);
            System.out.printf("raw queue (no Camel), %d claimers, batch %d: %d jobs in %.2f s = %.0f jobs/s%n",
                    threads, batch, finished, secs, finished / secs);
            queue.purge();
            return finished / secs;
        }
    }

    static String report(String url, String command, String load, double raw, double raw1, double c1, double c8, double[] lat) throws Exception {
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return """
                # Queue benchmark

                No-op jobs (`NOOP_JOB`) through the Redis Streams queue: enqueue → claim → ack. Produced by
                `%s` (main class `io.deksdenflow.orchestrator.testing.QueueBench`); re-run it to refresh
                this file.

                | | |
                |---|---|
                | date | %s |
                | machine | %d CPUs (`nproc`), kernel %s (`uname -r`) — shared with other jobs while measured |
                | java | %s |
                | Redis | %s |
                | load average (1 min) | %s |

                ## Results

                | measurement | this queue | BullMQ 6.7 (same machine, reference) | target |
                |---|---|---|---|
                | 20,000 bulk-enqueued jobs, 1 worker process, concurrency 1 | **%,.0f jobs/s** | 2,900 jobs/s | |
                | 20,000 bulk-enqueued jobs, 1 worker process, concurrency 8 | **%,.0f jobs/s** | 8,070 jobs/s | ≥ 12,000 jobs/s |
                | enqueue-to-start latency at 500 jobs/s for 10 s (concurrency 8) | **p50 %.2f ms / p99 %.2f ms** (max %.1f ms, %,.0f samples) | p50 1 ms / p99 4 ms | p99 ≤ 5 ms |
                | the queue alone, no Camel: 8 claimer threads, claim batch 100, batched acks | %,.0f jobs/s | | |
                | the queue alone, no Camel: 8 threads, one job per round trip (ack + fetch next) | %,.0f jobs/s | | |

                ## How it is measured

                - Throughput: the worker's Spring/Camel context starts with route `worker-claim` stopped,
                  20,000 jobs are pushed in bulk (Lua, 500 per script call), then the clock starts with the
                  route; it stops when a `JobOutcomeListener` has seen 20,000 `onSuccess` calls. Every job
                  goes `worker-claim` (one XREADGROUP + one Lua "start" per batch of up to `concurrency`
                  entries) → `seda:worker-pool` → `direct:worker-dispatch` → handler → Lua "finish"
                  (XACK + XDEL + hash/index update).
                - Latency: one producer thread pushes one job every 2 ms (one Lua call each); latency is the
                  time from just before the push to the handler's `onStart`, same JVM clock (`nanoTime`).
                - The "queue alone" rows drive `RedisJobQueue` directly, without Camel: claim 100 and ack 100
                  per script call; or one job per round trip (ack + fetch next), as a lone worker thread does.

                ## Reading the figures

                - Camel's share at concurrency 8: the routes reach %.0f%% of the queue-alone batch-100 figure
                  measured in the same run (%,.0f vs %,.0f jobs/s). What limits throughput is Redis round
                  trips and CPU, not the per-exchange overhead: one script call per job (the batch-1 row,
                  no Camel) gives %,.0f jobs/s. That is why acks are group-committed across worker threads
                  (`finish_batch.lua`: finish N jobs and claim up to N next ones in one call) and why a
                  successful ack hands its thread the next job in the same round trip.
                - Concurrency 1 pays one round trip plus the Camel hops per job, with nothing to batch.
                - The machine has 2 CPUs and was shared with four other engineers' builds and test runs
                  (see the load average above); Redis, the worker and the producer compete for them. The
                  latency tail (p99) is dominated by threads waiting for a CPU, and all figures vary by
                  ±30%% between runs under this load. The BullMQ reference figures were not measured
                  under the same load. The ≥ 12,000 jobs/s target was not reached here: the queue-alone
                  ceiling on this machine in this run was %,.0f jobs/s.
                """.formatted(command, Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.version"), java, url.replaceAll("//[^@/]*@", "//***@"), load, c1, c8, lat[0], lat[1],
                lat[2], lat[3], raw, raw1, 100 * c8 / raw, c8, raw, raw1, raw);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** Counts successes; records start latency for jobs with a push timestamp. */
    static final class Counting implements JobOutcomeListener {
        volatile CountDownLatch done;
        final Map<String, Long> pushedAt = new ConcurrentHashMap<>();
        final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());

        Counting(int n) { reset(n); }

        void reset(int n) {
            latencies.clear();
            done = new CountDownLatch(n);
        }

        @Override
        public void onStart(Job job) {
            Long at = pushedAt.remove(job.jobId());
            if (at != null) latencies.add(System.nanoTime() - at);
        }

        @Override
        public void onRetry(Job job, Throwable error, Duration delay) {}

        @Override
        public void onFinalFailure(Job job, Throwable error) {}

        @Override
        public void onSuccess(Job job) { done.countDown(); }
    }

}
