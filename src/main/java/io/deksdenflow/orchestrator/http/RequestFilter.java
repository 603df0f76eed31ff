package io.deksdenflow.orchestrator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deksdenflow.orchestrator.common.RequestContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The edge of every HTTP request: accepts or generates X-Request-ID (MDC, response header), caps
 * bodies at 1 MiB (413) and keeps the raw bytes (webhook signatures are computed on them), and
 * demands the bearer token on everything but /health, /metrics, /console and /webhooks. Methods
 * outside {@link HttpMethods#KNOWN} are refused with 405 (logged at DEBUG only). Repeated
 * {@code X-Project-Token} headers reach the routes as one comma-separated value.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestFilter extends OncePerRequestFilter {
    public static final String REQUEST_ID_HEADER = "X-Request-ID";
    public static final String PROJECT_TOKEN_HEADER = "X-Project-Token";
    private static final Logger log = LoggerFactory.getLogger(RequestFilter.class);
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final Pattern VALID_REQUEST_ID = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
    private final ApiSettings settings;
    private final ObjectMapper mapper;

    public RequestFilter(ApiSettings settings, ObjectMapper mapper) {
        this.settings = settings;
        this.mapper = mapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = validRequestId(request.getHeader(REQUEST_ID_HEADER));
        MDC.put(RequestContext.REQUEST_ID, requestId);
        response.setHeader(REQUEST_ID_HEADER, requestId);
        try {
            String path = request.getRequestURI();
            if (!HttpMethods.known(request.getMethod())) {
                log.debug("refused unknown HTTP method on {}", path);
                response.setHeader("Allow", String.join(", ", new java.util.TreeSet<>(HttpMethods.KNOWN)));
                reject(response, 405, "method_not_allowed", "unsupported HTTP method", requestId);
                return;
            }
            if (!isPublic(path) && settings.apiTokenSet() && !bearerMatches(request.getHeader("Authorization"))) {
                response.setHeader("WWW-Authenticate", "Bearer");
                reject(response, 401, "unauthorized", "missing or wrong bearer token", requestId);
                return;
            }
            byte[] body = null;
            if (hasBody(request)) {
                if (request.getContentLengthLong() > MAX_BODY_BYTES) {
                    reject(response, 413, "payload_too_large", "request body is larger than 1 MiB", requestId);
                    return;
                }
                body = readCapped(request.getInputStream());
                if (body == null) {
                    reject(response, 413, "payload_too_large", "request body is larger than 1 MiB", requestId);
                    return;
                }
            }
            // the API speaks JSON: a form-encoded body (curl -d without a content type) is read as JSON,
            // never parsed as form fields; webhooks keep their own content types
            boolean form = body != null && request.getContentType() != null
                    && request.getContentType().toLowerCase().startsWith("application/x-www-form-urlencoded");
            boolean formAsJson = form && !path.startsWith("/webhooks/");
            if (form && !formAsJson && !wellFormedForm(body)) {
                // Camel's HTTP binding would fail on it before any route (a 500 with no body)
                reject(response, 400, "bad_request", "malformed form-encoded body: every field must be name=value", requestId);
                return;
            }
            chain.doFilter(new Wrapped(request, requestId, body, formAsJson), response);
        } finally {
            MDC.remove(RequestContext.REQUEST_ID);
        }
    }

    /** Every {@code &}-separated part of a form body is {@code name=value} (what Camel's binding requires). */
    static boolean wellFormedForm(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) return true;
        for (String part : text.split("&", -1)) {
            if (part.indexOf('=') <= 0) return false;
        }
        return true;
    }

    /** The client's request id when it is well-formed, else a new one. */
    static String validRequestId(String incoming) {
        return incoming != null && VALID_REQUEST_ID.matcher(incoming).matches() ? incoming : UUID.randomUUID().toString();
    }

    static boolean isPublic(String path) {
        return path.equals("/health") || path.equals("/metrics") || path.equals("/console")
                || path.startsWith("/console/") || path.startsWith("/webhooks/") || path.equals("/favicon.ico");
    }

    private boolean bearerMatches(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return false;
        return constantTimeEquals(header.substring(7).trim(), settings.apiToken());
    }

    /** Compares digests so neither content nor length leaks through timing. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) return false;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] x = sha.digest(a.getBytes(StandardCharsets.UTF_8));
            byte[] y = MessageDigest.getInstance("SHA-256").digest(b.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(x, y);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        String m = request.getMethod();
        return "POST".equals(m) || "PUT".equals(m) || "PATCH".equals(m);
    }

    /** The whole body, or null when it exceeds the cap (chunked uploads included). */
    private static byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) != -1) {
            if (out.size() + n > MAX_BODY_BYTES) return null;
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private void reject(HttpServletResponse response, int status, String code, String message, String requestId)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        mapper.writeValue(response.getOutputStream(),
                Map.of("error", Map.of("code", code, "message", message, "request_id", requestId)));
    }

    /** The request with its effective request id as a header and its body replayable. */
    private static final class Wrapped extends HttpServletRequestWrapper {
        private final String requestId;
        private final byte[] body;
        private final boolean formAsJson;

        Wrapped(HttpServletRequest request, String requestId, byte[] body, boolean formAsJson) {
            super(request);
            this.requestId = requestId;
            this.body = body;
            this.formAsJson = formAsJson;
        }

        @Override
        public String getContentType() {
            return formAsJson ? "application/json" : super.getContentType();
        }

        @Override
        public String getHeader(String name) {
            if (REQUEST_ID_HEADER.equalsIgnoreCase(name)) return requestId;
            if (PROJECT_TOKEN_HEADER.equalsIgnoreCase(name)) return projectTokens();
            if (formAsJson && "Content-Type".equalsIgnoreCase(name)) return "application/json";
            return super.getHeader(name);
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return formAsJson ? queryOnly() : super.getParameterMap();
        }

        @Override
        public String getParameter(String name) {
            String[] v = getParameterMap().get(name);
            return v == null || v.length == 0 ? null : v[0];
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(getParameterMap().keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return getParameterMap().get(name);
        }

        private Map<String, String[]> queryOnly() {
            Map<String, java.util.List<String>> acc = new java.util.LinkedHashMap<>();
            String q = getQueryString();
            if (q != null) {
                for (String pair : q.split("&")) {
                    if (pair.isEmpty()) continue;
                    int eq = pair.indexOf('=');
                    String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    acc.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
                }
            }
            Map<String, String[]> out = new java.util.LinkedHashMap<>();
            acc.forEach((k, v) -> out.put(k, v.toArray(new String[0])));
            return out;
        }


        @Override
        public Enumeration<String> getHeaders(String name) {
            if (PROJECT_TOKEN_HEADER.equalsIgnoreCase(name)) {
                String joined = projectTokens();
                return Collections.enumeration(joined == null ? List.of() : List.of(joined));
            }
            return REQUEST_ID_HEADER.equalsIgnoreCase(name) ? Collections.enumeration(List.of(requestId)) : super.getHeaders(name);
        }

        /** Every X-Project-Token header joined by commas (Camel's binding reads only the first of a repeated header). */
        private String projectTokens() {
            List<String> all = Collections.list(super.getHeaders(PROJECT_TOKEN_HEADER));
            return all.isEmpty() ? null : String.join(",", all);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            if (names.stream().noneMatch(REQUEST_ID_HEADER::equalsIgnoreCase)) names.add(REQUEST_ID_HEADER);
            return Collections.enumeration(names);
        }

        @Override
        public int getContentLength() {
            return body == null ? super.getContentLength() : body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body == null ? super.getContentLengthLong() : body.length;
        }

        @Override
        public java.io.BufferedReader getReader() throws IOException {
            if (body == null) return super.getReader();
            String enc = getCharacterEncoding();
            java.nio.charset.Charset cs = enc == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(enc);
            return new java.io.BufferedReader(new java.io.InputStreamReader(new ByteArrayInputStream(body), cs));
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) return super.getInputStream();
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override public boolean isFinished() { return in.available() == 0; }
                @Override public boolean isReady() { return true; }
                @Override public void setReadListener(ReadListener listener) { throw new UnsupportedOperationException(); }
                @Override public int read() { return in.read(); }
                @Override public int read(byte[] b, int off, int len) { return in.read(b, off, len); }
            };
        }
    }
}
