package io.deksdenflow.orchestrator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.deksdenflow.orchestrator.testsupport.SlowTest;
import io.deksdenflow.orchestrator.testsupport.TestApps;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configured Redis that does not answer fails start-up quickly, naming the URL without its password. */
@SlowTest
class QueueRedisUnreachableTest {
    static String trace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void theConnectionCheckGivesUpWithinTenSecondsEvenWhenNothingAnswers() {
        for (String url : new String[] {"redis://bob:s3cret@127.0.0.1:1/0", "redis://:s3cret@10.255.255.1:6379/2"}) {
            RedisConfig.RedisTarget target = new RedisConfig.RedisTarget(RedisUrl.parse(url), null);
            long started = System.nanoTime();
            Throwable error = catchThrowable(() -> new RedisConfig().redisConnectionFactory(target));
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(error).hasMessageContaining("Redis at " + RedisUrl.parse(url).redacted() + " is unreachable");
            assertThat(trace(error)).doesNotContain("s3cret");
            assertThat(elapsedMs).as(url).isLessThan(10_000);
        }
    }

    @Test
    void startUpFailsNamingTheRedactedUrl() {
        Throwable error = catchThrowable(() -> TestApps.run(Map.of("deksdenflow.redis-url", "redis://bob:s3cret@127.0.0.1:1/0")));
        assertThat(error).isNotNull();
        assertThat(trace(error)).contains("Redis at redis://bob:***@127.0.0.1:1/0 is unreachable").doesNotContain("s3cret");
    }
}
