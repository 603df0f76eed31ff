package io.deksdenflow.orchestrator.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.deksdenflow.orchestrator.queue.EmbeddedRedis;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobRecord;
import io.deksdenflow.orchestrator.queue.JobStatus;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.queue.QueueConfig;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import io.deksdenflow.orchestrator.testsupport.ChildJvm;
import io.deksdenflow.orchestrator.testsupport.QueueTesting;
import io.deksdenflow.orchestrator.testsupport.ScriptedHandler;
import io.deksdenflow.orchestrator.testsupport.SlowTest;
import io.deksdenflow.orchestrator.testsupport.WorkerProcessMain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Real worker processes (separate JVMs) sharing one Redis: SIGKILL mid-job, and two workers on 1,000 jobs. */
@SlowTest
class WorkerProcessTest {
    static EmbeddedRedis server;
    static LettuceConnectionFactory factory;
    static StringRedisTemplate redis;
    static RedisJobQueue queue;
    final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void redis() {
        server = EmbeddedRedis.start(0);
        RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration("127.0.0.1", server.port());
        standalone.setPassword(server.password());
        factory = new LettuceConnectionFactory(standalone);
        factory.afterPropertiesSet();
        factory.start();
        redis = new StringRedisTemplate(factory);
        queue = new RedisJobQueue(redis, QueueConfig.NAMESPACE, 3);
    }

    @AfterAll
    static void stop() {
        factory.destroy();
        server.stop();
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    Process worker(String name, boolean hang) throws Exception {
        Process p = ChildJvm.start(name, WorkerProcessMain.class, Map.of("TEST_HANG", hang ? "1" : "0"),
                "--deksdenflow.redis-url=" + server.url(), "--deksdenflow.worker-concurrency=4");
        children.add(p);
        return p;
    }

    void awaitReady(Process p) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(p.isAlive()).as("worker process alive (see target/child-*.log)").isTrue();
            return Boolean.TRUE.equals(redis.hasKey(WorkerProcessMain.READY + p.pid()));
        });
    }

    long effects(Set<String> ids) {
        return redis.opsForList().range(ScriptedHandler.effectsKey(queue.namespace()), 0, -1).stream().filter(ids::contains).count();
    }

    @Test
    void aJobOfAWorkerKilledMidRunIsRunOnceMoreByAnotherAfterTheLease() throws Exception {
        Process a = worker("killed", true);
        awaitReady(a);
        Job job = Job.create(JobType.EXECUTE_STEP_JOB, 1L, 2L, 3L, 0, "hang", System.currentTimeMillis());
        QueueTesting.push(queue, job);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.find(job.jobId()).orElseThrow(),
                r -> "started".equals(r.status()) && r.workerId().contains(":" + a.pid() + ":"));

        a.destroyForcibly(); // SIGKILL
        assertThat(a.waitFor()).isEqualTo(137);

        Process b = worker("survivor", false);
        awaitReady(b);
        await().atMost(Duration.ofSeconds(60)).until(() -> queue.find(job.jobId()).orElseThrow().status(), "finished"::equals);
        JobRecord done = queue.find(job.jobId()).orElseThrow();
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.workerId()).contains(":" + b.pid() + ":");
        assertThat(done.lastError()).contains("lease expired");
        assertThat(effects(Set.of(job.jobId()))).isEqualTo(1);
    }

    @Test
    void aStoppedWorkerHandsItsRunningJobBackAfterTheGracePeriod() throws Exception {
        Process a = worker("stopped", true);
        awaitReady(a);
        Job job = Job.create(JobType.EXECUTE_STEP_JOB, 1L, 2L, 3L, 0, "hang", System.currentTimeMillis());
        QueueTesting.push(queue, job);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.find(job.jobId()).orElseThrow(),
                r -> "started".equals(r.status()) && r.workerId().contains(":" + a.pid() + ":"));

        a.destroy(); // SIGTERM: graceful shutdown, grace 2 s
        assertThat(a.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        JobRecord back = queue.find(job.jobId()).orElseThrow();
        assertThat(back.status()).isEqualTo("queued");
        assertThat(back.attempt()).isEqualTo(1);
        assertThat(back.workerId()).isNull();

        Process b = worker("after-stop", false);
        awaitReady(b);
        await().atMost(Duration.ofSeconds(30)).until(() -> queue.find(job.jobId()).orElseThrow().status(), "finished"::equals);
        assertThat(queue.find(job.jobId()).orElseThrow().attempt()).isEqualTo(1);
        assertThat(effects(Set.of(job.jobId()))).isEqualTo(1);
    }

    @Test
    void twoWorkerProcessesRunEachOfAThousandJobsExactlyOnce() throws Exception {
        Process c = worker("one", false);
        Process d = worker("two", false);
        awaitReady(c);
        awaitReady(d);
        long finishedBefore = queue.counts().get(JobStatus.FINISHED);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            jobs.add(Job.create(JobType.EXECUTE_STEP_JOB, 1L, 2L, 3L, 0, "bulk", System.currentTimeMillis()));
        }
        assertThat(queue.pushAll(jobs)).isEqualTo(1000);
        Set<String> ids = new HashSet<>(jobs.stream().map(Job::jobId).toList());

        await().atMost(Duration.ofSeconds(120)).until(() -> queue.counts().get(JobStatus.FINISHED) - finishedBefore >= 1000);
        List<String> ran = redis.opsForList().range(ScriptedHandler.effectsKey(queue.namespace()), 0, -1).stream().filter(ids::contains).toList();
        assertThat(ran).hasSize(1000);
        assertThat(new HashSet<>(ran)).hasSize(1000);
        Set<String> workers = new HashSet<>();
        for (Job job : jobs) {
            JobRecord r = queue.find(job.jobId()).orElseThrow();
            assertThat(r.status()).isEqualTo("finished");
            assertThat(r.attempt()).isEqualTo(1);
            workers.add(r.workerId().split(":")[1]);
        }
        assertThat(workers).containsExactlyInAnyOrder(Long.toString(c.pid()), Long.toString(d.pid()));
    }
}
