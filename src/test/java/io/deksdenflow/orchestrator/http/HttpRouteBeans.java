package io.deksdenflow.orchestrator.http;

import io.deksdenflow.orchestrator.config.DatabaseSettings;
import io.deksdenflow.orchestrator.config.WorkspaceSettings;
import io.deksdenflow.orchestrator.secrets.SecretsSettings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The beans every web route uses ({@code api-errors}, {@code requestContext}, {@code jsonResponse}), for route
 * tests that start a minimal Spring context instead of the whole service (they need an {@code ObjectMapper},
 * e.g. from {@code JacksonAutoConfiguration}), with the settings records {@link ServerPaths} reads.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiSettings.class, WorkspaceSettings.class, DatabaseSettings.class, SecretsSettings.class})
@Import({ApiErrorsConfiguration.class, ApiErrorHandler.class, JsonResponse.class, RequestContextProcessor.class,
        ServerPaths.class})
public class HttpRouteBeans {
}
