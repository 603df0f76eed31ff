package io.deksdenflow.orchestrator.worker;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/** Publishes cancel signals to every worker over Redis pub/sub (route {@code worker-cancel-signal}). */
@Component
public class CancelSignals {
    public static final String CHANNEL = "deksdenflow:cancel";
    private final StringRedisTemplate redis;

    public CancelSignals(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Asks the workers to stop the running job {@code jobId} and/or every running job of {@code protocolRunId}. */
    public void publish(Long protocolRunId, String jobId) {
        publish(new CancelSignal(jobId, protocolRunId, "cancel requested"));
    }

    public void publish(CancelSignal signal) {
        redis.convertAndSend(CHANNEL, signal.toJson());
    }
}
