package io.deksdenflow.orchestrator.queue;

import io.deksdenflow.orchestrator.config.Settings;
import com.fasterxml.jackson.databind.ObjectMapper;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The queue beans every role needs (the API enqueues and inspects; workers claim). */
@Configuration(proxyBeanMethods = false)
public class QueueConfig {
    /** Prefix of every queue key in Redis. */
    public static final String NAMESPACE = "deksdenflow";

    @Bean
    RedisJobQueue redisJobQueue(StringRedisTemplate redis, Settings settings) {
        RedisJobQueue queue = new RedisJobQueue(redis, NAMESPACE, settings.getJobMaxAttempts());
        queue.ensureGroup();
        return queue;
    }

    @Bean
    OutboxRelay outboxRelay(ObjectProvider<DataSource> dataSource, RedisJobQueue queue, ObjectMapper json,
                            ObjectProvider<ProducerTemplate> producer) {
        return new OutboxRelay(dataSource, queue, json, producer);
    }

    @Bean
    QueueInspector queueInspector(RedisJobQueue queue) {
        return new QueueInspector(queue);
    }
}
