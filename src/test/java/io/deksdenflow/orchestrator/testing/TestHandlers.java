package io.deksdenflow.orchestrator.testing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

@org.springframework.boot.test.context.TestConfiguration(proxyBeanMethods = false)
public class TestHandlers {
    @Bean
    ScriptedHandler scriptedHandler(StringRedisTemplate redis) {
        return new ScriptedHandler(redis);
    }

    @Bean
    RecordingListener recordingListener() {
        return new RecordingListener();
    }
}
