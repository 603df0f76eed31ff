package io.deksdenflow.orchestrator.queue;

import io.deksdenflow.orchestrator.config.Settings;
import com.fasterxml.jackson.databind.ObjectMapper;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

/** The queue beans every role needs (the API enqueues and inspects; workers claim). */
@Configuration(proxyBeanMethods = false)
public class QueueConfig {
    /** Default prefix of every queue key (and the cancel channel) in Redis. */
    public static final String NAMESPACE = "deksdenflow";

    /**
     * {@code deksdenflow.queue-namespace} (env DEKSDENFLOW_QUEUE_NAMESPACE) lets several deployments, or
     * concurrent test runs, share one Redis database without seeing each other's jobs.
     */
    @Bean
    RedisJobQueue redisJobQueue(StringRedisTemplate redis, Settings settings,
                                @Value("${deksdenflow.queue-namespace:" + NAMESPACE + "}") String namespace) {
        RedisJobQueue queue = new RedisJobQueue(redis, namespace, settings.getJobMaxAttempts());
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
