package io.deksdenflow.orchestrator.queue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The queue contract on the Redis named by DEKSDENFLOW_TEST_REDIS_URL (CI: redis://127.0.0.1:6379), in
 * database 13 under a key namespace of its own (so concurrent runs on one server do not meet), deleted
 * afterwards. CI checks that this class's surefire report exists and is not skipped.
 */
@org.springframework.test.annotation.DirtiesContext
@Tag("external-redis")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "DEKSDENFLOW_TEST_REDIS_URL", matches = ".+")
class QueueExternalRedisTest extends QueueRedisContract {
    static final int DB = 13;
    static final String NAMESPACE = "dftest-" + java.util.UUID.randomUUID().toString().substring(0, 8);

    static String url() {
        String base = System.getenv("DEKSDENFLOW_TEST_REDIS_URL").replaceAll("/\\d*$", "");
        return base + "/" + DB;
    }

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("deksdenflow.redis-url", QueueExternalRedisTest::url);
        registry.add("deksdenflow.queue-namespace", () -> NAMESPACE);
    }

    @BeforeAll
    static void announce() {
        System.out.println("EXTERNAL REDIS SUITE RUNNING against " + RedisUrl.parse(url()).redacted()
                + " namespace " + NAMESPACE);
    }

    @Autowired CamelContext camel;

    @AfterAll
    void cleanUp() {
        camel.stop(); // no worker may recreate keys after the clean-up
        RedisClient client = RedisClient.create(url());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (String pattern : new String[] {NAMESPACE + ":*", NAMESPACE + "-side:*"}) {
                var keys = c.sync().keys(pattern);
                if (!keys.isEmpty()) c.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }
}
