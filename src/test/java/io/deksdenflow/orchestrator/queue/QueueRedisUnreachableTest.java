package io.deksdenflow.orchestrator.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.deksdenflow.orchestrator.testing.TestApps;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configured Redis that does not answer fails start-up quickly, naming the URL without its password. */
class QueueRedisUnreachableTest {
    @Test
    void startUpFailsWithinTenSecondsNamingTheRedactedUrl() throws Exception {
        long started = System.nanoTime();
        Throwable error = catchThrowable(() -> TestApps.run(Map.of("deksdenflow.redis-url", "redis://bob:s3cret@127.0.0.1:1/0")));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(error).isNotNull();
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).contains("Redis at redis://bob:***@127.0.0.1:1/0 is unreachable")
                .doesNotContain("s3cret");
        assertThat(elapsedMs).isLessThan(10_000);
    }
}
