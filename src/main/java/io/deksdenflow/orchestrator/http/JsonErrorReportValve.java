package io.deksdenflow.orchestrator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's error report, as the API's JSON error body with X-Request-ID instead of an HTML page.
 * Reached only by errors nothing else answered (Spring's own errors are already JSON). Public:
 * Tomcat instantiates it by class name.
 */
public class JsonErrorReportValve extends ErrorReportValve {
    private static final Logger log = LoggerFactory.getLogger(JsonErrorReportValve.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String requestId = response.getHeader(RequestFilter.REQUEST_ID_HEADER);
        if (requestId == null) {
            requestId = RequestFilter.validRequestId(request.getHeader(RequestFilter.REQUEST_ID_HEADER));
            response.setHeader(RequestFilter.REQUEST_ID_HEADER, requestId);
        }
        log.debug("request {} refused by the servlet container: {}", requestId, status);
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(MAPPER.writeValueAsString(Map.of("error", Map.of("code", ErrorJsonController.code(status),
                        "message", ErrorJsonController.reason(status), "request_id", requestId))));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response cannot take a body any more
        }
    }

}
