package io.deksdenflow.orchestrator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueueRedisUrlTest {
    @Test
    void unsetOrFakeMeansEmbedded() {
        assertThat(RedisUrl.parse(null).embedded()).isTrue();
        assertThat(RedisUrl.parse("").embedded()).isTrue();
        assertThat(RedisUrl.parse("fakeredis://").embedded()).isTrue();
        assertThat(RedisUrl.parse("embedded://").embedded()).isTrue();
    }

    @Test
    void parsesAuthDatabaseAndTls() {
        RedisUrl url = RedisUrl.parse("rediss://bob:p%40ss@cache.example:6380/4");
        assertThat(url).isEqualTo(new RedisUrl(false, true, "cache.example", 6380, 4, "bob", "p@ss"));
        assertThat(url.redacted()).isEqualTo("rediss://bob:***@cache.example:6380/4");
        RedisUrl passwordOnly = RedisUrl.parse("redis://:secret@127.0.0.1");
        assertThat(passwordOnly.password()).isEqualTo("secret");
        assertThat(passwordOnly.username()).isNull();
        assertThat(passwordOnly.port()).isEqualTo(6379);
        assertThat(passwordOnly.redacted()).isEqualTo("redis://:***@127.0.0.1:6379/0").doesNotContain("secret");
    }

    @Test
    void rejectsOtherSchemesWithoutLeakingThePassword() {
        assertThatThrownBy(() -> RedisUrl.parse("http://u:hunter2@h:1"))
                .hasMessageContaining("redis://").hasMessageNotContaining("hunter2");
    }
}
