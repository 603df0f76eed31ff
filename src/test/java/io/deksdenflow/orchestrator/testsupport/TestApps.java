package io.deksdenflow.orchestrator.testsupport;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * Starts {@link QueueTestApp} outside the Spring test framework with queue-test.properties plus
 * overrides, passed as command-line arguments so that they win over application.yml.
 */
public final class TestApps {
    private TestApps() {}

    public static Properties testProperties(Map<String, String> overrides) {
        try {
            Properties props = PropertiesLoaderUtils.loadProperties(new ClassPathResource("queue-test.properties"));
            props.putAll(overrides);
            return props;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ConfigurableApplicationContext run(Map<String, String> overrides,
                                                     ApplicationContextInitializer<?>... initializers) {
        List<String> args = new ArrayList<>();
        testProperties(overrides).forEach((k, v) -> args.add("--" + k + "=" + v));
        return new SpringApplicationBuilder(QueueTestApp.class).initializers(initializers).run(args.toArray(String[]::new));
    }
}
