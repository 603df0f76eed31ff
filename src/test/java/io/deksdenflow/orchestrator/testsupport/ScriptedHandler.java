package io.deksdenflow.orchestrator.testsupport;

import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.JobType;
import io.deksdenflow.orchestrator.worker.JobContext;
import io.deksdenflow.orchestrator.worker.JobHandler;
import io.deksdenflow.orchestrator.worker.Precondition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * EXECUTE_STEP_JOB for tests: runs the behaviour registered for the job id, else records its effect
 * (RPUSH {@code <namespace>:test-effects} job id) — the observable "the job ran" across processes.
 * A job whose request id is "hang" sleeps forever when the process has TEST_HANG=1.
 */
public class ScriptedHandler implements JobHandler<Job> {
    public static String effectsKey(String namespace) { return namespace + ":test-effects"; }

    public interface Behaviour {
        void run(JobContext ctx) throws Exception;
    }

    private final StringRedisTemplate redis;
    public final String effects;
    public final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    public final Map<String, List<Long>> starts = new ConcurrentHashMap<>();

    public ScriptedHandler(StringRedisTemplate redis, String namespace) {
        this.redis = redis;
        this.effects = effectsKey(namespace);
    }

    @Override
    public JobType type() { return JobType.EXECUTE_STEP_JOB; }

    @Override
    public Precondition<Job> precondition(Job job) { return Precondition.ready(job); }

    @Override
    public void handle(JobContext ctx, Job job) throws Exception {
        String id = ctx.job().jobId();
        starts.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
        if ("hang".equals(ctx.job().requestId()) && "1".equals(System.getenv("TEST_HANG"))) {
            Thread.sleep(Long.MAX_VALUE);
        }
        Behaviour behaviour = behaviours.get(id);
        if (behaviour != null) {
            behaviour.run(ctx);
            return;
        }
        redis.opsForList().rightPush(effects, id);
    }
}
