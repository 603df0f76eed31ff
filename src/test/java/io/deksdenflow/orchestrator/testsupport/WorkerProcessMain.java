package io.deksdenflow.orchestrator.testsupport;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A worker process for the multi-process tests: the queue test app with the given --key=value
 * overrides; sets {@code deksdenflow-test:ready:<pid>} once its routes run, then lives until killed.
 */
public final class WorkerProcessMain {
    public static final String READY = "deksdenflow-test:ready:";

    private WorkerProcessMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            overrides.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        ConfigurableApplicationContext ctx = TestApps.run(overrides);
        long pid = ManagementFactory.getRuntimeMXBean().getPid();
        ctx.getBean(StringRedisTemplate.class).opsForValue().set(READY + pid, "1");
        System.out.println("worker process ready, pid " + pid);
        Thread.sleep(Long.MAX_VALUE);
    }
}
