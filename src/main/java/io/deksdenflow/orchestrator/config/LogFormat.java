package io.deksdenflow.orchestrator.config;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * DEKSDENFLOW_LOG_JSON=true switches the console log to Spring Boot's structured logging (one
 * logstash-style JSON object per line, MDC ids included). Runs before the logging system starts.
 */
public class LogFormat implements EnvironmentPostProcessor {
    @Override
    public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
        String json = env.getProperty("DEKSDENFLOW_LOG_JSON", env.getProperty("deksdenflow.log-json", "false"));
        if (Boolean.parseBoolean(json.trim())) {
            env.getPropertySources().addFirst(new MapPropertySource("deksdenflow-log-json",
                    Map.of("logging.structured.format.console", "logstash")));
        }
    }
}
