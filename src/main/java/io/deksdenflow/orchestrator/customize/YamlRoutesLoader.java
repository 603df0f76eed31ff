package io.deksdenflow.orchestrator.customize;

import io.deksdenflow.orchestrator.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Loads the operator's Camel YAML DSL routes from DEKSDENFLOW_ROUTES_DIR (default ./routes) at
 * start-up. A missing directory is fine; a broken file stops start-up with its name and line.
 */
@Component
public class YamlRoutesLoader implements CamelContextConfiguration {
    private static final Logger log = LoggerFactory.getLogger(YamlRoutesLoader.class);
    private final Settings settings;

    public YamlRoutesLoader(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void beforeApplicationStart(CamelContext context) {
        Path dir = Path.of(settings.getRoutesDir());
        if (!Files.isDirectory(dir)) {
            log.info("routes dir {} does not exist: no custom routes", dir.toAbsolutePath());
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml") || p.getFileName().toString().endsWith(".yml"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read routes dir " + dir + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            Resource resource = ResourceHelper.resolveResource(context, "file:" + file.toAbsolutePath());
            try {
                PluginHelper.getRoutesLoader(context).loadRoutes(resource);
                log.info("loaded custom routes from {}", file);
            } catch (Exception e) {
                throw new IllegalStateException("invalid route file " + file + ": " + rootMessage(e), e);
            }
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing
    }

    private static String rootMessage(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !sb.toString().contains(t.getMessage())) {
                if (!sb.isEmpty()) sb.append(" | ");
                sb.append(t.getMessage());
            }
            if (t.getCause() == t) break;
        }
        return sb.toString();
    }
}
