package io.deksdenflow.orchestrator.queue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The queue contract on the Redis named by DEKSDENFLOW_TEST_REDIS_URL (CI: redis://127.0.0.1:6379), in
 * database 13, which it flushes before and after. CI checks that this class's surefire report exists
 * and is not skipped.
 */
@Tag("external-redis")
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_REDIS_URL", matches = ".+")
class QueueExternalRedisTest extends QueueRedisContract {
    static final int DB = 13;

    static String url() {
        String base = System.getenv("DEKSDENFLOW_TEST_REDIS_URL").replaceAll("/\\d*$", "");
        return base + "/" + DB;
    }

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("deksdenflow.redis-url", QueueExternalRedisTest::url);
    }

    @BeforeAll
    static void announce() {
        System.out.println("EXTERNAL REDIS SUITE RUNNING against " + RedisUrl.parse(url()).redacted());
    }

    @BeforeAll
    @AfterAll
    static void flush() {
        RedisClient client = RedisClient.create(url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushdb();
        } finally {
            client.shutdown();
        }
    }
}
