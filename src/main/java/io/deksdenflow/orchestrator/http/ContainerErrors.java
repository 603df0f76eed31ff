package io.deksdenflow.orchestrator.http;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Errors Tomcat raises before a request reaches Spring (bad URL encoding, an encoded slash or NUL,
 * oversized headers, ...) are rendered by the host's error report valve: it is replaced by
 * {@link JsonErrorReportValve}, so they answer the same JSON error body, with X-Request-ID, as the API.
 * TRACE is let through the connector (which would answer it with an empty 405 of its own) so that
 * {@link RequestFilter} refuses it like every other unsupported method.
 */
@Component
class ContainerErrors implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
