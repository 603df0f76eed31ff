package io.deksdenflow.orchestrator.http;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.stereotype.Component;

/**
 * The {@code api-errors} route configuration every API route opts into: validation → 422, not
 * found → 404, illegal transition or duplicate → 409, bad JSON → 400, anything else → 500; the
 * JSON error body carries the request id (see {@link ApiError}).
 */
@Component
public class ApiErrorsConfiguration extends RouteConfigurationBuilder {
    public static final String ID = "api-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .handled(true)
                .process("apiErrorHandler");
    }
}
