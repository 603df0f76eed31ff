package io.deksdenflow.orchestrator.queue;

import org.springframework.data.redis.core.StringRedisTemplate;

/** Whether Redis answers, for /health. */
public class RedisHealth {
    private final StringRedisTemplate redis;

    public RedisHealth(StringRedisTemplate redis) {
        this.redis = redis;
    }

    public boolean ping() {
        try {
            return "PONG".equalsIgnoreCase(redis.execute((org.springframework.data.redis.core.RedisCallback<String>) c -> c.ping()));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
