package io.deksdenflow.orchestrator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/** Writes the body as JSON with the status the route chose (200 unless set). */
@Component("jsonResponse")
class JsonResponse implements Processor {
    private final ObjectMapper mapper;

    JsonResponse(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        exchange.getMessage().setBody(mapper.writeValueAsBytes(body));
        // never echo request headers (Authorization, X-Project-Token, query and path parameters) back
        exchange.getMessage().removeHeaders("*", Exchange.HTTP_RESPONSE_CODE);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
    }
}
