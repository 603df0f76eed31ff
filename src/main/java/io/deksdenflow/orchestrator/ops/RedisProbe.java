package io.deksdenflow.orchestrator.ops;

import io.deksdenflow.orchestrator.queue.RedisHealth;
import org.springframework.stereotype.Component;

@Component
class RedisProbe implements HealthProbe {
    private final RedisHealth redis;

    RedisProbe(RedisHealth redis) {
        this.redis = redis;
    }

    @Override
    public String name() { return "redis"; }

    @Override
    public boolean up() { return redis.ping(); }
}
