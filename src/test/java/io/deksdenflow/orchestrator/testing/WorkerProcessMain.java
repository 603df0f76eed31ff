package io.deksdenflow.orchestrator.testing;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A worker process for the multi-process tests: the queue test app with the given --key=value
 * overrides; sets {@code deksdenflow-test:ready:<pid>} once its routes run, then lives until killed.
 */
public final class WorkerProcessMain {
    public static final String READY = "deksdenflow-test:ready:";

    private WorkerProcessMain() {}

    public static void main(String[] args) throws Exception {
        Properties props = PropertiesLoaderUtils.loadProperties(new ClassPathResource("queue-test.properties"));
        List<String> all = new ArrayList<>();
        props.forEach((k, v) -> all.add("--" + k + "=" + v));
        all.addAll(List.of(args));
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(QueueTestApp.class).run(all.toArray(String[]::new));
        long pid = ManagementFactory.getRuntimeMXBean().getPid();
        ctx.getBean(StringRedisTemplate.class).opsForValue().set(READY + pid, "1");
        System.out.println("worker process ready, pid " + pid);
        Thread.sleep(Long.MAX_VALUE);
    }
}
