package io.deksdenflow.orchestrator.worker;

import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/** Publishes cancel signals to every worker over Redis pub/sub (route {@code worker-cancel-signal}). */
@Component
public class CancelSignals {
    private final StringRedisTemplate redis;
    private final String channel;

    public CancelSignals(StringRedisTemplate redis, RedisJobQueue queue) {
        this.redis = redis;
        this.channel = queue.namespace() + ":cancel";
    }

    /** The pub/sub channel, {@code <namespace>:cancel} ({@code deksdenflow:cancel} by default). */
    String channel() { return channel; }

    /** Asks the workers to stop the running job {@code jobId} and/or every running job of {@code protocolRunId}. */
    public void publish(Long protocolRunId, String jobId) {
        publish(new CancelSignal(jobId, protocolRunId, "cancel requested"));
    }

    void publish(CancelSignal signal) {
        redis.convertAndSend(channel, signal.toJson());
    }
}
