package io.deksdenflow.orchestrator.customize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.testsupport.SlowTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * Custom routes come from Camel's own {@code camel.main.routes-include-pattern}, which application.yml
 * points at {@code deksdenflow.routes-dir} (DEKSDENFLOW_ROUTES_DIR): every .yaml/.yml file there is
 * loaded with its route ids; a missing directory is fine; a broken file stops start-up naming file and
 * line. A Spring Boot application with Camel alone, the real application.yml and {@link CustomRoutesDir}.
 */
@SlowTest
class CustomRoutesStartupTest {

    /** Not a @SpringBootConfiguration: the @SpringBootTest classes of this package must not find it. */
    @EnableAutoConfiguration(exclude = {DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
            RedisAutoConfiguration.class})
    @Import(CustomRoutesDir.class)
    static class CamelOnly {
    }

    private static ConfigurableApplicationContext start(Path routesDir) {
        return new SpringApplicationBuilder(CamelOnly.class).web(WebApplicationType.NONE)
                .run("--deksdenflow.routes-dir=" + routesDir, "--camel.springboot.main-run-controller=false",
                        "--camel.main.jmx-enabled=false");
    }

    @Test
    void loadsEveryYamlFileWithItsRouteIds(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), """
                - route:
                    id: custom-a
                    from:
                      uri: direct:custom-a
                      steps:
                        - setBody:
                            constant: ok
                """);
        Files.writeString(dir.resolve("b.yaml"), """
                - route:
                    id: custom-b
                    from:
                      uri: direct:custom-b
                      steps:
                        - setBody:
                            constant: ok-b
                """);
        Files.writeString(dir.resolve("notes.txt"), "not a route");
        try (ConfigurableApplicationContext app = start(dir)) {
            CamelContext camel = app.getBean(CamelContext.class);
            assertThat(camel.getRoute("custom-a")).isNotNull();
            assertThat(camel.getRoute("custom-b")).isNotNull();
            ProducerTemplate producer = camel.createProducerTemplate();
            assertThat(producer.requestBody("direct:custom-a", "x", String.class)).isEqualTo("ok");
            assertThat(producer.requestBody("direct:custom-b", "x", String.class)).isEqualTo("ok-b");
        }
    }

    @Test
    void aBrokenFileStopsStartUpNamingFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), """
                - route:
                    id: broken
                    from:
                      uri: direct:broken
                      steps:
                        - notAStep: {}
                """);
        assertThatThrownBy(() -> start(dir).close())
                .satisfies(e -> assertThat(messages(e)).contains("broken.yaml").containsIgnoringCase("line"));
    }

    @Test
    void aMissingDirectoryIsFine(@TempDir Path dir) {
        try (ConfigurableApplicationContext app = start(dir.resolve("none"))) {
            assertThat(app.getBean(CamelContext.class).getRoutes()).noneMatch(r -> r.getRouteId().startsWith("custom-"));
        }
    }

    @Test
    void onlyFileEntriesWithAMissingDirectoryAreDropped(@TempDir Path dir) {
        assertThat(CustomRoutesDir.existing("file:" + dir + "/*.yaml?optional=true")).isEqualTo("file:" + dir + "/*.yaml?optional=true");
        assertThat(CustomRoutesDir.existing("file:" + dir.resolve("none") + "/*.yaml,classpath:camel/*")).isEqualTo("classpath:camel/*");
        assertThat(CustomRoutesDir.existing("file:" + dir.resolve("none") + "/*.yaml")).isEqualTo("false");
        assertThat(CustomRoutesDir.existing("false")).isEqualTo("false");
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 20_000; t = t.getCause()) {
            sb.append(t).append('\n');
            if (t.getCause() == t) break;
        }
        return sb.toString();
    }
}
