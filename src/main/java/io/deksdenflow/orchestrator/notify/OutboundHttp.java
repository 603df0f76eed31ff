package io.deksdenflow.orchestrator.notify;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The HTTP of webhook and Slack channels (Apache HttpClient 5): JSON POSTs with short timeouts, no redirect
 * followed, no automatic retry (the notify_job's policy retries), and the {@link UrlGuard} as the client's DNS
 * resolver, so that the addresses checked are the addresses connected to. A 2xx delivers; 408, 429 and 5xx
 * are retried (with the answer's {@code Retry-After}); any other answer is {@link DeliveryFailure.Refused}.
 */
@Component
class OutboundHttp implements DisposableBean {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    private final CloseableHttpClient client;
    private final UrlGuard guard;

    OutboundHttp(NotifySettings settings) {
        this.guard = new UrlGuard(settings.notifyAllowPrivate());
        DnsResolver resolver = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                return guard.addresses(host);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        Timeout connect = Timeout.of(CONNECT_TIMEOUT);
        Timeout response = Timeout.of(RESPONSE_TIMEOUT);
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(resolver)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect)
                                .setSocketTimeout(response).build())
                        .setMaxConnTotal(50).setMaxConnPerRoute(5).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(response)
                        .setConnectionRequestTimeout(connect).build())
                // no system proxy: a proxy would resolve the name itself, past the guard
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().build();
    }

    /** POSTs {@code json} to {@code url}; returns the status of a 2xx answer, throws for anything else. */
    int postJson(String label, String url, Map<String, String> headers, String json) throws DeliveryFailure {
        URI uri = URI.create(url);
        try {
            guard.addresses(uri.getHost()); // an address literal too (the client resolves only names)
        } catch (UrlGuard.RefusedAddressException e) {
            throw new DeliveryFailure.Refused(label + " refused: " + e.getMessage(), null);
        } catch (UnknownHostException e) {
            throw new DeliveryFailure(label + " unreachable: unknown host", null, null);
        }
        HttpPost post = new HttpPost(uri);
        headers.forEach(post::setHeader);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        try {
            return client.execute(post, r -> {
                EntityUtils.consume(r.getEntity());
                int code = r.getCode();
                if (code / 100 == 2) return code;
                String what = label + " answered HTTP " + code;
                if (code == 408 || code == 429 || code / 100 == 5) {
                    throw new Answered(new DeliveryFailure(what, code, retryAfter(r.getFirstHeader("Retry-After"))));
                }
                throw new Answered(new DeliveryFailure.Refused(what + " (not retried)", code));
            });
        } catch (Answered a) {
            throw a.failure;
        } catch (UrlGuard.RefusedAddressException e) {
            throw new DeliveryFailure.Refused(label + " refused: " + e.getMessage(), null);
        } catch (IOException e) { // no URL in the message: a Slack or webhook URL is a credential
            throw new DeliveryFailure(label + " unreachable: " + e.getClass().getSimpleName(), null, null);
        }
    }

    /** A non-2xx answer, carried out of the response handler. */
    private static final class Answered extends IOException {
        final DeliveryFailure failure;

        Answered(DeliveryFailure failure) {
            super(failure.getMessage());
            this.failure = failure;
        }
    }

    /** {@code Retry-After}: seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(Header header) {
        if (header == null || header.getValue() == null) return null;
        String v = header.getValue().trim();
        try {
            if (v.matches("\\d{1,9}")) return Duration.ofSeconds(Long.parseLong(v));
            Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return d.isNegative() ? Duration.ZERO : d;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public void destroy() throws IOException {
        client.close();
    }
}
