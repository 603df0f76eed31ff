package io.deksdenflow.orchestrator.customize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.apache.camel.spring.boot.CamelConfigurationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * The operator's YAML routes are loaded by Camel itself: application.yml sets
 * {@code camel.main.routes-include-pattern} to {@code file:<DEKSDENFLOW_ROUTES_DIR>/*.yaml}, and a broken
 * file stops start-up with Camel's error naming file and line. One gap is closed here: Camel's
 * {@code file:} scan fails start-up when the directory does not exist (NoSuchFileException, even with
 * {@code ?optional=true}), while a missing routes dir means "no custom routes". So a {@code file:}
 * entry whose directory is missing is dropped from the pattern before Camel reads it.
 */
@Component
class CustomRoutesDir implements BeanPostProcessor {
    private static final Logger log = LoggerFactory.getLogger(CustomRoutesDir.class);

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof CamelConfigurationProperties props && props.getMain() != null) {
            props.getMain().setRoutesIncludePattern(existing(props.getMain().getRoutesIncludePattern()));
        }
        return bean;
    }

    /** The pattern without its {@code file:} entries whose directory does not exist ({@code false} when none is left). */
    static String existing(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return pattern;
        }
        StringJoiner kept = new StringJoiner(",");
        for (String entry : pattern.split(",")) {
            String e = entry.trim();
            if (e.startsWith("file:")) {
                String path = e.substring("file:".length());
                int query = path.indexOf('?');
                if (query >= 0) path = path.substring(0, query);
                int slash = path.lastIndexOf('/');
                Path dir = Path.of(slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash));
                if (!Files.isDirectory(dir)) {
                    log.info("routes dir {} does not exist: no custom routes from it", dir.toAbsolutePath());
                    continue;
                }
            }
            if (!e.isEmpty()) kept.add(e);
        }
        return kept.length() == 0 ? "false" : kept.toString();
    }
}
