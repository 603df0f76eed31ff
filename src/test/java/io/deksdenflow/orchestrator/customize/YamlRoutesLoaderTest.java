package io.deksdenflow.orchestrator.customize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deksdenflow.orchestrator.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom routes: loaded from the routes dir; a broken file stops start-up naming file and line. */
class YamlRoutesLoaderTest {

    private static YamlRoutesLoader loader(Path dir) {
        Settings settings = new Settings();
        settings.setRoutesDir(dir.toString());
        return new YamlRoutesLoader(settings);
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
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            loader(dir).beforeApplicationStart(ctx);
            ctx.start();
            assertThat(ctx.getRoute("custom-a")).isNotNull();
            assertThat(ctx.createProducerTemplate().requestBody("direct:custom-a", "x", String.class)).isEqualTo("ok");
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
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            assertThatThrownBy(() -> loader(dir).beforeApplicationStart(ctx))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("broken.yaml")
                    .hasMessageContaining("line");
        }
    }

    @Test
    void aMissingDirectoryIsFine(@TempDir Path dir) throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            loader(dir.resolve("none")).beforeApplicationStart(ctx);
            assertThat(ctx.getRoutes()).isEmpty();
        }
    }
}
