package io.deksdenflow.orchestrator.queue;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The queue beans every role needs (the API enqueues and inspects; workers claim). */
@Configuration(proxyBeanMethods = false)
public class QueueConfig {
    /** Prefix of every queue key in Redis. */
    public static final String NAMESPACE = "deksdenflow";

    @Bean
    RedisJobQueue redisJobQueue(StringRedisTemplate redis) {
        RedisJobQueue queue = new RedisJobQueue(redis, NAMESPACE);
        queue.ensureGroup();
        return queue;
    }

    @Bean
    QueueInspector queueInspector(RedisJobQueue queue) {
        return new QueueInspector(queue);
    }
}
