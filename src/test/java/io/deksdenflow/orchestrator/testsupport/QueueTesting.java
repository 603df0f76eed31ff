package io.deksdenflow.orchestrator.testsupport;

import io.deksdenflow.orchestrator.queue.ClaimedJob;
import io.deksdenflow.orchestrator.queue.Job;
import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Queue operations only tests and benchmarks need, on top of the production {@link RedisJobQueue} calls. */
public final class QueueTesting {
    private QueueTesting() {}

    /** Enqueues one job through the outbox relay's path; true when it was added (its id was new). */
    public static boolean push(RedisJobQueue queue, Job job) {
        return queue.pushAll(List.of(job)) == 1;
    }

    /** Finishes held jobs through the workers' ack (fetching nothing); returns the ids that were still owned. */
    public static Set<String> complete(RedisJobQueue queue, String worker, List<ClaimedJob> held) {
        boolean[] applied = queue.completeBatch(worker, held, 0).applied();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < applied.length; i++) if (applied[i]) ids.add(held.get(i).jobId());
        return ids;
    }

    /** Deletes every key of the queue's namespace. */
    public static void purge(StringRedisTemplate redis, RedisJobQueue queue) {
        Set<String> keys = redis.keys(queue.namespace() + ":*");
        if (keys != null && !keys.isEmpty()) redis.delete(keys);
    }
}
