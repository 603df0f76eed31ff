package io.deksdenflow.orchestrator.testsupport;

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
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Queue benchmark (run by bench/queue-bench.sh): no-op jobs through enqueue → claim → ack, 20,000
 * enqueued in bulk, one worker at concurrency 1 and 8; then enqueue-to-start latency at 500 jobs/s
 * for 10 s. Also the raw queue without Camel, to show the Camel share. Writes docs/benchmarks.md.
 */
public final class QueueBench {
    static final int BULK = 20_000;
    /** The CI guard's shorter runs: enough jobs to reach the steady rate, little enough for every CI run. */
    static final int GUARD_BULK = 5_000;
    /** The CI guard fails below this fraction of BullMQ's jobs/s from the same run: a gross regression only. */
    static final double GUARD_MIN_RATIO = 0.5;

    /**
     * The CI regression guard ({@code bench/queue-bench.sh --guard}): jobs/s at concurrency 1 and 8 against BullMQ
     * on the same Redis, back to back (BullMQ, this, this, BullMQ; the best of each pair), on {@value #GUARD_BULK}
     * jobs; exit 1 when a ratio falls below {@value #GUARD_MIN_RATIO}. Absolute figures never fail it; nothing is
     * written to docs/benchmarks.md.
     */
    static int guard(String url, Path bullmq) throws Exception {
        if (bullmq == null) throw new IllegalArgumentException("the guard needs BullMQ (its directory as the third argument)");
        int failed = 0;
        for (int concurrency : new int[] {1, 8}) {
            String c = Integer.toString(concurrency);
            Map<String, Object> anchor = Anchor.best(Anchor.run(bullmq, url, "throughput", c, Integer.toString(GUARD_BULK)), null);
            double ours = Math.max(throughput(url, concurrency, GUARD_BULK), throughput(url, concurrency, GUARD_BULK));
            anchor = Anchor.best(anchor, Anchor.run(bullmq, url, "throughput", c, Integer.toString(GUARD_BULK)));
            double ratio = ours / Anchor.num(anchor, "rate");
            boolean ok = ratio >= GUARD_MIN_RATIO;
            System.out.printf("queue guard, concurrency %d: %.0f jobs/s vs BullMQ %.0f jobs/s = %.2fx (minimum %.2fx) %s%n",
                    concurrency, ours, Anchor.num(anchor, "rate"), ratio, GUARD_MIN_RATIO, ok ? "ok" : "REGRESSION");
            if (!ok) failed++;
        }
        return failed == 0 ? 0 : 1;
    }

    private QueueBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--guard")) {
            System.exit(guard(args.length > 1 ? args[1] : "redis://127.0.0.1:6379/14",
                    args.length > 2 && !args[2].isBlank() ? Path.of(args[2]) : null));
        }
        String url = args.length > 0 ? args[0] : "redis://127.0.0.1:6379/14";
        Path out = Path.of(args.length > 1 ? args[1] : "docs/benchmarks.md");
        String command = args.length > 2 ? args[2] : "bench/queue-bench.sh";
        Path bullmq = args.length > 3 && !args[3].isBlank() ? Path.of(args[3]) : null;

        String loadBefore = loadAverage();
        double raw = rawQueue(url, 8, 100);
        double raw1 = rawQueue(url, 8, 1);
        double rawSingle = rawQueue(url, 1, 1);
        // each throughput row: BullMQ, this queue, this queue, BullMQ (back to back on the same Redis, so that
        // a change of the machine's other load hits both alike), the best of each pair reported
        double[] pair1 = new double[4];
        double[] pair8 = new double[4];
        Map<String, Object> b1 = pair(bullmq, url, 1, pair1);
        Map<String, Object> b8 = pair(bullmq, url, 8, pair8);
        double c1 = Math.max(pair1[1], pair1[2]);
        double c8 = Math.max(pair8[1], pair8[2]);
        Map<String, Object> bl = Anchor.run(bullmq, url, "latency", "8", "500", "10");
        double[] latency = latency(url, 8, 500, Duration.ofSeconds(10));
        String load = loadBefore + " before, " + loadAverage() + " after";
        String section = report(url, command, load, raw, raw1, rawSingle, c1, c8, latency, b1, b8, bl)
                + "\nAll four runs of each pair (BullMQ, this queue, this queue, BullMQ): concurrency 1: %s; concurrency 8: %s.\n"
                        .formatted(fourRuns(pair1), fourRuns(pair8));
        System.out.println(section);
        Files.writeString(out, withRun(Files.exists(out) ? Files.readString(out) : "", section));
    }

    /**
     * One throughput row: BullMQ, this queue, this queue, BullMQ, back to back on the same Redis (so that a change
     * of the machine's other load hits both alike); {@code rates} gets the four jobs/s, the better BullMQ run is
     * returned.
     */
    static Map<String, Object> pair(Path bullmq, String url, int concurrency, double[] rates) throws Exception {
        String c = Integer.toString(concurrency);
        Map<String, Object> first = Anchor.run(bullmq, url, "throughput", c, Integer.toString(BULK));
        rates[1] = throughput(url, concurrency);
        rates[2] = throughput(url, concurrency);
        Map<String, Object> second = Anchor.run(bullmq, url, "throughput", c, Integer.toString(BULK));
        rates[0] = Anchor.num(first, "rate");
        rates[3] = Anchor.num(second, "rate");
        return Anchor.best(first, second);
    }

    static String fourRuns(double[] rates) {
        StringBuilder out = new StringBuilder();
        for (double rate : rates) out.append(out.isEmpty() ? "" : " / ").append(Double.isNaN(rate) ? "n/a" : "%,.0f".formatted(rate));
        return out + " jobs/s";
    }

    /** Where the runs start in the section, newest first: a new run goes right below, the earlier ones stay. */
    static final String RUNS = "<!-- queue-bench.sh adds each run below this line, newest first -->";

    /**
     * Adds the run of {@code section} (what follows {@link #RUNS} in it) to the "# Queue benchmark" section of
     * {@code doc}, above the earlier runs; without that section (or its marker) the whole section is written.
     */
    static String withRun(String doc, String section) {
        int from = doc.startsWith("# Queue benchmark") ? 0 : doc.indexOf("\n# Queue benchmark");
        int end = from < 0 ? -1 : doc.indexOf("\n# ", from + 1);
        int marker = from < 0 ? -1 : doc.indexOf(RUNS, from);
        if (marker < 0 || (end >= 0 && marker > end)) return replaceSection(doc, section);
        int at = marker + RUNS.length();
        return doc.substring(0, at) + section.substring(section.indexOf(RUNS) + RUNS.length()) + doc.substring(at);
    }

    /** Replaces the "# Queue benchmark" section (up to the next top-level heading) and keeps the rest. */
    static String replaceSection(String doc, String section) {
        int from = doc.startsWith("# Queue benchmark") ? 0 : doc.indexOf("\n# Queue benchmark");
        if (from < 0) return section + (doc.isEmpty() ? "" : "\n" + doc);
        if (from > 0) from++;
        int to = doc.indexOf("\n# ", from + 1);
        String rest = to < 0 ? "" : doc.substring(to + 1);
        return doc.substring(0, from) + section + (rest.isEmpty() ? "" : "\n" + rest);
    }

    static ConfigurableApplicationContext worker(String url, int concurrency, JobOutcomeListener listener) {
        return TestApps.run(Map.of("deksdenflow.redis-url", url,
                "deksdenflow.worker-concurrency", Integer.toString(concurrency),
                "deksdenflow.job-lease-seconds", "60",
                "deksdenflow.job-timeout", "7200",
                "deksdenflow.queue-finished-max", "1000000",
                "logging.level.io.deksdenflow", "WARN"),
                ctx -> {
                    ctx.getBeanFactory().registerSingleton("benchListener", listener);
                    // the test suite's RecordingListener keeps every call in a copy-on-write list: each job would copy
                    // all the calls before it (quadratic), which the queue's own cost must not include
                    ctx.addBeanFactoryPostProcessor(factory -> ((BeanDefinitionRegistry) factory)
                            .removeBeanDefinition("recordingListener"));
                });
    }

    static List<Job> noops(int n) {
        List<Job> jobs = new ArrayList<>(n);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) jobs.add(Job.create(JobType.NOOP_JOB, null, null, null, 1, null, now));
        return jobs;
    }

    /** jobs/s with 20,000 pre-enqueued no-op jobs, through the Camel worker routes. */
    static double throughput(String url, int concurrency) throws Exception {
        return throughput(url, concurrency, BULK);
    }

    static double throughput(String url, int concurrency, int jobs) throws Exception {
        Counting listener = new Counting(jobs);
        try (ConfigurableApplicationContext ctx = worker(url, concurrency, listener)) {
            RedisJobQueue queue = ctx.getBean(RedisJobQueue.class);
            StringRedisTemplate redis = ctx.getBean(StringRedisTemplate.class);
            CamelContext camel = ctx.getBean(CamelContext.class);
            camel.getRouteController().stopRoute("worker-claim");
            QueueTesting.purge(redis, queue);
            queue.ensureGroup();
            queue.pushAll(noops(jobs));
            long t0 = System.nanoTime();
            camel.getRouteController().startRoute("worker-claim");
            if (!listener.done.await(10, TimeUnit.MINUTES)) throw new IllegalStateException("bench did not finish");
            double secs = (System.nanoTime() - t0) / 1e9;
            double rate = jobs / secs;
            System.out.printf("concurrency %d: %d jobs in %.2f s = %.0f jobs/s (finished count %d)%n", concurrency, jobs,
                    secs, rate, queue.counts().get(JobStatus.FINISHED));
            QueueTesting.purge(redis, queue);
            return rate;
        }
    }

    /** p50/p99 enqueue-to-start at a fixed rate. */
    static double[] latency(String url, int concurrency, int perSecond, Duration length) throws Exception {
        int n = (int) (perSecond * length.toSeconds());
        Counting listener = new Counting(n);
        try (ConfigurableApplicationContext ctx = worker(url, concurrency, listener)) {
            RedisJobQueue queue = ctx.getBean(RedisJobQueue.class);
            StringRedisTemplate redis = ctx.getBean(StringRedisTemplate.class);
            CamelContext camel = ctx.getBean(CamelContext.class);
            camel.getRouteController().stopRoute("worker-claim");
            QueueTesting.purge(redis, queue);
            queue.ensureGroup();
            camel.getRouteController().startRoute("worker-claim");
            for (Job job : noops(200)) QueueTesting.push(queue, job); // warm-up
            Thread.sleep(2000);
            listener.reset(n);
            long interval = 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            for (Job job : noops(n)) {
                long wait = next - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                listener.pushedAt.put(job.jobId(), System.nanoTime());
                QueueTesting.push(queue, job);
                next += interval;
            }
            if (!listener.done.await(2, TimeUnit.MINUTES)) throw new IllegalStateException("latency run did not finish");
            long[] lat = listener.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            double p50 = lat[(int) (lat.length * 0.50)] / 1e6;
            double p99 = lat[(int) (lat.length * 0.99)] / 1e6;
            double max = lat[lat.length - 1] / 1e6;
            System.out.printf("latency at %d jobs/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
                    perSecond, p50, p99, max, lat.length);
            QueueTesting.purge(redis, queue);
            return new double[] {p50, p99, max, lat.length};
        }
    }

    /** The Redis queue alone (no Camel): claim batches of 100, ack in batches, `threads` claimers. */
    static double rawQueue(String url, int threads, int batch) throws Exception {
        Counting none = new Counting(0);
        try (ConfigurableApplicationContext ctx = worker(url, 1, none)) {
            ctx.getBean(CamelContext.class).getRouteController().stopRoute("worker-claim");
            RedisJobQueue queue = ctx.getBean(RedisJobQueue.class);
            StringRedisTemplate redis = ctx.getBean(StringRedisTemplate.class);
            RedisConnectionFactory factory = ctx.getBean(RedisConnectionFactory.class);
            QueueTesting.purge(redis, queue);
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
                                QueueTesting.complete(queue, me, got);
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
            QueueTesting.purge(redis, queue);
            return finished / secs;
        }
    }

    static String report(String url, String command, String load, double raw, double raw1, double rawSingle, double c1, double c8,
                         double[] lat, Map<String, Object> b1, Map<String, Object> b8, Map<String, Object> bl) {
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        double bc1 = Anchor.num(b1, "rate");
        double bc8 = Anchor.num(b8, "rate");
        double bp50 = Anchor.num(bl, "p50");
        double bp99 = Anchor.num(bl, "p99");
        return """
                # Queue benchmark

                No-op jobs (`NOOP_JOB`) through the Redis Streams queue: enqueue → claim → ack, each row measured
                back to back with **BullMQ %s** (Node.js %s, installed by the script under `target/bullmq`) on the
                same Redis in the same run. Produced by `bench/queue-bench.sh` (main class
                `io.deksdenflow.orchestrator.testsupport.QueueBench`, BullMQ side `bench/bullmq/bench.mjs`); each run
                adds its own table below, newest first, and keeps the earlier ones.

                ## How it is measured

                - Throughput rows run BullMQ, this queue, this queue, BullMQ, back to back, and report the best
                  of each pair (all four are printed by the script), so that a change in the machine's other
                  load hits both sides alike.
                - Throughput: the worker's Spring/Camel context (the queue and worker packages, the no-op handler, a
                  counting `JobOutcomeListener`) starts with route `worker-claim` stopped,
                  20,000 jobs are pushed in bulk (Lua, 500 per script call), then the clock starts with the
                  route; it stops when the listener has seen 20,000 `onSuccess` calls. BullMQ: 20,000
                  jobs added with `addBulk` (500 per call), then the clock starts with a `Worker` of the same
                  concurrency and a no-op processor, and stops at the 20,000th `completed` event.
                - Latency: one producer pushes one job every 2 ms (one script call each, not waiting for the
                  previous); latency is the time from just before the push to the handler's start, same process
                  clock. BullMQ: the producer and the worker share the Node.js process (its event loop), as the Java
                  producer thread shares the JVM.
                - The "queue alone" rows drive `RedisJobQueue` directly, without Camel: claim 100 and ack 100
                  per script call; or one job per round trip (ack + fetch next), as a lone worker thread does.

                %s

                ## Run of %s

                | | |
                |---|---|
                | command | `%s` |
                | machine | %d CPUs (`nproc`), %s, kernel %s (`uname -r`) |
                | load average (1 min) | %s (an idle 2-CPU machine shows about 1; more means other work shared the CPUs) |
                | conditions | %s |
                | java | %s |
                | Redis | %s |

                | measurement | this queue | BullMQ (same run) | ratio (this ÷ BullMQ) | target |
                |---|---|---|---|---|
                %s
                %s
                %s
                %s
                | the queue alone, no Camel: 8 claimer threads, claim batch 100, batched acks | %,.0f jobs/s | | | |
                | the queue alone, no Camel: 8 threads, one job per round trip (ack + fetch next) | %,.0f jobs/s | | | |
                | the queue alone, no Camel: 1 thread, one job per round trip (the ceiling of concurrency 1) | %,.0f jobs/s | | | |
                """.formatted(Anchor.text(b1, "bullmq", "6.7.0"), Anchor.text(b1, "node", "?"), RUNS, Instant.now(), command,
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("os.version"), load,
                conditions(load), java,
                url.replaceAll("//[^@/]*@", "//***@"),
                row("20,000 bulk-enqueued jobs, 1 worker process, concurrency 1", c1, bc1, "≥ 1.0× BullMQ"),
                row("20,000 bulk-enqueued jobs, 1 worker process, concurrency 8", c8, bc8, "≥ 1.5× BullMQ"),
                latencyRow("enqueue-to-start p50 at 500 jobs/s for 10 s (concurrency 8)", lat[0], bp50, ""),
                latencyRow("enqueue-to-start p99 at 500 jobs/s for 10 s (concurrency 8; max %.1f ms, %,.0f samples)"
                        .formatted(lat[2], lat[3]), lat[1], bp99, "p99 ≤ 3 ms"),
                raw, raw1, rawSingle);
    }

    /** "busy" when the load average before or after exceeded the CPU count. */
    static String conditions(String load) {
        double max = 0;
        for (String part : load.split("[^0-9.]+")) {
            try {
                if (!part.isEmpty()) max = Math.max(max, Double.parseDouble(part));
            } catch (NumberFormatException ignored) {
                // not a number
            }
        }
        return max > Runtime.getRuntime().availableProcessors()
                ? "**taken on a busy machine** (load above the CPU count): the ratios (same run, back to back) mean"
                        + " something, the absolute figures and the latency tail do not"
                : "idle machine (load at or below the CPU count)";
    }

    static String row(String what, double ours, double anchor, String target) {
        return "| %s | **%,.0f jobs/s** | %s | %s | %s |".formatted(what, ours,
                Double.isNaN(anchor) ? "n/a" : "%,.0f jobs/s".formatted(anchor),
                Double.isNaN(anchor) ? "n/a" : "**%.2f×**".formatted(ours / anchor), target);
    }

    static String latencyRow(String what, double ours, double anchor, String target) {
        return "| %s | **%.2f ms** | %s | %s | %s |".formatted(what, ours,
                Double.isNaN(anchor) ? "n/a" : "%.2f ms".formatted(anchor),
                Double.isNaN(anchor) ? "n/a" : "%.2f× (lower is better)".formatted(ours / anchor), target);
    }

    /** The CPU's model name from /proc/cpuinfo. */
    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("CPU model n/a");
        } catch (IOException e) {
            return "CPU model n/a";
        }
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


    /** The BullMQ side: {@code node bench/bullmq/bench.mjs <url> <mode> <args>}, one JSON line on stdout. */
    static final class Anchor {
        private Anchor() {}

        static Map<String, Object> run(Path bullmqDir, String url, String... args) throws Exception {
            if (bullmqDir == null) return Map.of();
            List<String> cmd = new ArrayList<>(List.of("node", "bench/bullmq/bench.mjs", url));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("BULLMQ_DIR", bullmqDir.toAbsolutePath().toString());
            Process p = pb.start();
            String outText = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("BullMQ bench failed: " + cmd + " → " + outText);
            }
            String last = outText.substring(outText.lastIndexOf('\n') + 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> result = new ObjectMapper().readValue(last, Map.class);
            System.out.println("BullMQ " + String.join(" ", args) + ": " + result);
            return result;
        }

        /** The result with the higher rate of the two (either may be empty or null). */
        static Map<String, Object> best(Map<String, Object> a, Map<String, Object> b) {
            if (b == null || b.isEmpty()) return a;
            if (a == null || a.isEmpty()) return b;
            return num(b, "rate") > num(a, "rate") ? b : a;
        }

        static double num(Map<String, Object> result, String key) {
            Object v = result.get(key);
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        }

        static String text(Map<String, Object> result, String key, String fallback) {
            Object v = result.get(key);
            return v == null ? fallback : v.toString();
        }
    }
}
