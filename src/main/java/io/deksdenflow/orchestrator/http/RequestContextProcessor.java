package io.deksdenflow.orchestrator.http;

import io.deksdenflow.orchestrator.common.RequestContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/** Puts the request id in the MDC of whichever thread Camel processes the exchange on. */
@Component("requestContext")
class RequestContextProcessor implements Processor {
    @Override
    public void process(Exchange exchange) {
        String id = exchange.getMessage().getHeader(RequestFilter.REQUEST_ID_HEADER, String.class);
        if (id != null) MDC.put(RequestContext.REQUEST_ID, id);
    }
}
