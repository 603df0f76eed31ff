package io.deksdenflow.orchestrator.testsupport;

import io.deksdenflow.orchestrator.queue.RedisJobQueue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

@org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
public class TestHandlers {
    @Bean
    ScriptedHandler scriptedHandler(StringRedisTemplate redis, RedisJobQueue queue) {
        return new ScriptedHandler(redis, queue.namespace());
    }

    @Bean
    RecordingListener recordingListener() {
        return new RecordingListener();
    }
}
