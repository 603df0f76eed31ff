package io.deksdenflow.orchestrator.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.server.ConfigurableServletWebServerFactory;
import org.springframework.stereotype.Component;

/**
 * Binds the HTTP server to DEKSDENFLOW_API_HOST. Without an API token the default is loopback;
 * another address without a token needs DEKSDENFLOW_ALLOW_INSECURE=true and logs a warning.
 */
@Component
class ServerBinding implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> {
    private static final Logger log = LoggerFactory.getLogger(ServerBinding.class);
    private final ApiSettings settings;

    ServerBinding(ApiSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customize(ConfigurableServletWebServerFactory factory) {
        factory.setAddress(resolve(settings));
    }

    static InetAddress resolve(ApiSettings settings) {
        String host = settings.apiHost().trim();
        if (host.isEmpty()) host = "127.0.0.1";
        try {
            InetAddress address = InetAddress.getByName(host);
            if (!address.isLoopbackAddress() && !settings.apiTokenSet()) {
                if (!settings.allowInsecure()) {
                    throw new IllegalStateException("refusing to bind " + host + " without DEKSDENFLOW_API_TOKEN; "
                            + "set a token or DEKSDENFLOW_ALLOW_INSECURE=true");
                }
                log.warn("binding {} WITHOUT an API token (DEKSDENFLOW_ALLOW_INSECURE=true): anyone who can reach it can act", host);
            } else if (!settings.apiTokenSet()) {
                // agents cannot reach it (their own network namespace), but other users of this machine can
                log.warn("no DEKSDENFLOW_API_TOKEN: the API on {} is open to every local user of this machine; "
                        + "set a token on a shared host (docs/security.md)", host);
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("DEKSDENFLOW_API_HOST " + host + " does not resolve", e);
        }
    }
}
