package io.deksdenflow.orchestrator.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The queue contract on the embedded Redis server (DEKSDENFLOW_REDIS_URL unset): the server the
 * service starts requires its generated password, and the service's own clients (the whole contract
 * above) use it.
 */
class QueueEmbeddedRedisTest extends QueueRedisContract {
    @Autowired RedisConfig.RedisTarget target;

    @Test
    void theServiceStartedServerRequiresItsGeneratedPassword() throws IOException {
        assertThat(target.embedded()).isNotNull();
        assertThat(target.url().password()).isEqualTo(target.embedded().password()).hasSize(64);
        assertThat(target.url().describe()).doesNotContain(target.url().password());
        try (RawRedis raw = new RawRedis(InetAddress.getLoopbackAddress(), target.url().port())) {
            assertThat(raw.command("PING")).startsWith("-NOAUTH");
            assertThat(raw.command("AUTH", target.url().password())).isEqualTo("+OK");
            assertThat(raw.command("PING")).isEqualTo("+PONG");
        }
        redis.opsForValue().set("embedded-auth-probe", "through the service's client");
        assertThat(redis.opsForValue().get("embedded-auth-probe")).isEqualTo("through the service's client");
    }
}
