package io.deksdenflow.orchestrator.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

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
    RedisJobQueue redisJobQueue(StringRedisTemplate redis, QueueSettings settings) {
        RedisJobQueue queue = new RedisJobQueue(redis, settings.queueNamespace(), settings.jobMaxAttempts());
        queue.ensureGroup();
        return queue;
    }

    /** The outbox; disabled (and not relayed) in a process without a DataSource. */
    @Bean
    OutboxStore outboxStore(ObjectProvider<NamedParameterJdbcTemplate> jdbc, ObjectMapper json) {
        return new OutboxStore(jdbc.getIfAvailable(), json);
    }

    @Bean
    OutboxRelay outboxRelay(OutboxStore outbox, RedisJobQueue queue, ObjectMapper json) {
        return new OutboxRelay(outbox, queue, json);
    }

    @Bean
    QueueInspector queueInspector(RedisJobQueue queue) {
        return new QueueInspector(queue);
    }
}
