package io.deksdenflow.orchestrator.ops;

import io.deksdenflow.orchestrator.common.RequestContext;
import io.deksdenflow.orchestrator.http.RequestFilter;
import io.deksdenflow.orchestrator.http.HttpMethods;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Logs every HTTP request once (method, route template, status, duration; failures included) and
 * records {@code http_requests_seconds{method,route,status}} with bounded labels (the method is one of
 * {@link HttpMethods#KNOWN} or OTHER, the route a template). A request with an unknown method is
 * logged at DEBUG only, so made-up methods neither add series nor flood the log. Runs inside the
 * request-id filter, so the line carries request_id; never logs headers or bodies (no secret
 * reaches a log line).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class AccessLogFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger("io.deksdenflow.orchestrator.http");
    private final MeterRegistry registry;
    private final RouteTemplates templates;

    AccessLogFilter(MeterRegistry registry, RouteTemplates templates) {
        this.registry = registry;
        this.templates = templates;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        boolean async = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                // Camel's platform-http answers asynchronously: record once the response is complete
                async = true;
                request.getAsyncContext().addListener(new jakarta.servlet.AsyncListener() {
                    @Override public void onComplete(jakarta.servlet.AsyncEvent e) { record(request, response.getStatus(), start); }
                    @Override public void onTimeout(jakarta.servlet.AsyncEvent e) { }
                    @Override public void onError(jakarta.servlet.AsyncEvent e) { }
                    @Override public void onStartAsync(jakarta.servlet.AsyncEvent e) { }
                });
            }
        } finally {
            if (!async) record(request, response.getStatus(), start);
        }
    }

    private static String response(HttpServletRequest request) {
        return request.getHeader(RequestFilter.REQUEST_ID_HEADER);
    }

    private void record(HttpServletRequest request, int status, long start) {
        long nanos = System.nanoTime() - start;
        String route = templates.of(request.getRequestURI());
        String method = HttpMethods.label(request.getMethod());
        Timer.builder("http_requests").description("HTTP requests by route template")
                .tag("method", method).tag("route", route)
                .tag("status", Integer.toString(status)).register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (!route.equals("/health") && !route.equals("/metrics")) {
            // asynchronous completions run outside the request filter's MDC: restore the request id
            String requestId = response(request);
            String previous = org.slf4j.MDC.get(RequestContext.REQUEST_ID);
            if (requestId != null) org.slf4j.MDC.put(RequestContext.REQUEST_ID, requestId);
            try {
                if (HttpMethods.OTHER.equals(method)) {
                    log.debug("{} {} {} {}ms", method, route, status, TimeUnit.NANOSECONDS.toMillis(nanos));
                } else {
                    log.info("{} {} {} {}ms", method, route, status, TimeUnit.NANOSECONDS.toMillis(nanos));
                }
            } finally {
                if (previous == null) org.slf4j.MDC.remove(RequestContext.REQUEST_ID);
            }
        }
    }
}
