package io.deksdenflow.orchestrator.queue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.data.redis.serializer.StringRedisSerializer;

/**
 * The Redis connection: DEKSDENFLOW_REDIS_URL, or an embedded server when unset. An unreachable
 * configured server fails start-up within a few seconds, naming the (redacted) URL.
 */
@Configuration(proxyBeanMethods = false)
public class RedisConfig {
    private static final Logger log = LoggerFactory.getLogger(RedisConfig.class);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** The embedded server when one is in use (stopped with the context), else null-holder. */
    @Bean(destroyMethod = "close")
    public RedisTarget redisTarget(QueueSettings settings) {
        RedisUrl url = RedisUrl.parse(settings.redisUrl());
        if (!url.embedded()) {
            return new RedisTarget(url, null);
        }
        // stopped by this bean's destroy method, after the connection factory that depends on it; should the
        // context not be closed (e.g. spring.context.exit=onRefresh), by Spring Boot's shutdown hook once the
        // contexts are done — never concurrently with them, as a JVM hook of its own would be
        EmbeddedRedis server = EmbeddedRedis.startWithoutExitHook();
        SpringApplication.getShutdownHandlers().add(server::stop);
        return new RedisTarget(url.withPort(server.port()).withPassword(server.password()), server);
    }

    @Bean(destroyMethod = "destroy")
    public LettuceConnectionFactory redisConnectionFactory(RedisTarget target) {
        RedisUrl url = target.url();
        RedisStandaloneConfiguration standalone = new RedisStandaloneConfiguration(url.host(), url.port());
        standalone.setDatabase(url.database());
        if (url.username() != null) standalone.setUsername(url.username());
        if (url.password() != null) standalone.setPassword(RedisPassword.of(url.password()));
        LettuceClientConfiguration.LettuceClientConfigurationBuilder client = LettuceClientConfiguration.builder()
                .commandTimeout(Duration.ofSeconds(10))
                .clientOptions(ClientOptions.builder()
                        .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .build());
        if (url.ssl()) client.useSsl();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(standalone, client.build());
        factory.afterPropertiesSet();
        factory.start();
        try (RedisConnection connection = factory.getConnection()) {
            connection.ping();
        } catch (RuntimeException e) {
            factory.destroy();
            throw new IllegalStateException("Redis at " + url.redacted() + " is unreachable: " + e.getMessage(), e);
        }
        log.info("queue backend: {}", target.url().describe());
        return factory;
    }

    @Bean
    StringRedisTemplate stringRedisTemplate(LettuceConnectionFactory factory) {
        return new StringRedisTemplate(factory);
    }

    @Bean
    StringRedisSerializer stringRedisSerializer() {
        return StringRedisSerializer.UTF_8;
    }

    /** Pub/sub listeners (the cancel signal) share this container. */
    @Bean
    RedisMessageListenerContainer redisListenerContainer(LettuceConnectionFactory factory) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(factory);
        return container;
    }

    @Bean
    RedisHealth redisHealth(StringRedisTemplate redis) {
        return new RedisHealth(redis);
    }

    /** Where Redis is, and the embedded server when this process started one. */
    public record RedisTarget(RedisUrl url, EmbeddedRedis embedded) implements AutoCloseable {
        @Override
        public void close() {
            if (embedded != null) embedded.stop();
        }
    }
}
