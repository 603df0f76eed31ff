package io.deksdenflow.orchestrator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.RequestContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns the exception of a failed API exchange into the JSON error body and status; server faults
 * are logged with the request id and never leak a stack trace to the client.
 */
@Component("apiErrorHandler")
public class ApiErrorHandler implements Processor {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);
    private final ObjectMapper mapper;
    private final ServerPaths paths;

    ApiErrorHandler(ObjectMapper mapper, ServerPaths paths) {
        this.mapper = mapper;
        this.paths = paths;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiError error = ApiError.of(t);
        String requestId = exchange.getMessage().getHeader(RequestFilter.REQUEST_ID_HEADER, RequestContext.requestId(), String.class);
        if (error.status() >= 500) {
            log.error("request {} failed in route {}", requestId, exchange.getFromRouteId(), t);
        } else {
            log.debug("request {} refused: {} {}", requestId, error.status(), error.message());
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, error.status());
        // never echo request headers (Authorization, X-Project-Token, query and path parameters) back
        exchange.getMessage().removeHeaders("*", Exchange.HTTP_RESPONSE_CODE);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(paths.hide(mapper.writeValueAsBytes(error.body(requestId))));
    }
}
