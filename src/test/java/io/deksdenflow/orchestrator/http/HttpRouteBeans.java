package io.deksdenflow.orchestrator.http;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The beans every web route uses ({@code api-errors}, {@code requestContext}, {@code jsonResponse}), for route
 * tests that start a minimal Spring context instead of the whole service (they need a {@code Settings} bean
 * and an {@code ObjectMapper}, e.g. from {@code JacksonAutoConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@Import({ApiErrorsConfiguration.class, ApiErrorHandler.class, JsonResponse.class, RequestContextProcessor.class,
        ServerPaths.class})
public class HttpRouteBeans {
}
