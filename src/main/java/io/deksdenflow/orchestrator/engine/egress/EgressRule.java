package io.deksdenflow.orchestrator.engine.egress;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of an agent egress allow-list: {@code *} (any public host), {@code host}, {@code host:port},
 * {@code *.domain} or {@code *.domain:port} (the domain's subdomains). Without a port, any port. A
 * loopback entry ({@code 127.x.x.x:port} or {@code localhost:port}) must name its port: that port of the
 * host's loopback, and no other, is then reachable.
 */
public record EgressRule(String host, int port) {
    private static final Pattern LABELS = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** Port 0: any port. */
    public static final int ANY_PORT = 0;

    /** Parses one entry; garbage → {@link IllegalArgumentException} with a message naming the entry. */
    public static EgressRule parse(String entry) {
        if (entry == null || entry.isBlank()) throw new IllegalArgumentException("empty egress entry");
        String e = entry.strip().toLowerCase(Locale.ROOT);
        if (e.equals("*")) return new EgressRule("*", ANY_PORT);
        if (e.startsWith("[") || e.chars().filter(c -> c == ':').count() > 1) {
            throw new IllegalArgumentException("egress entry '" + entry + "': IPv6 literals are not supported");
        }
        String host = e;
        int port = ANY_PORT;
        int colon = e.lastIndexOf(':');
        if (colon >= 0) {
            host = e.substring(0, colon);
            port = port(entry, e.substring(colon + 1));
        }
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        String name = host.startsWith("*.") ? host.substring(2) : host;
        if (name.length() > 253 || !LABELS.matcher(name).matches()) {
            throw new IllegalArgumentException("egress entry '" + entry + "' is not a host, host:port, *.domain or *");
        }
        if (IPV4.matcher(name).matches()) {
            if (host.startsWith("*.")) throw new IllegalArgumentException("egress entry '" + entry + "': *. needs a domain");
            for (String octet : name.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("egress entry '" + entry + "' is not an IPv4 address");
                }
            }
        }
        EgressRule rule = new EgressRule(host, port);
        if (rule.loopback() && port == ANY_PORT) {
            throw new IllegalArgumentException("egress entry '" + entry + "' names the host's loopback without a port:"
                    + " list the one port agents may reach (e.g. 127.0.0.1:11434)");
        }
        return rule;
    }

    private static int port(String entry, String digits) {
        try {
            int p = Integer.parseInt(digits);
            if (p >= 1 && p <= 65535) return p;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("egress entry '" + entry + "' has an invalid port (1-65535)");
    }

    /** An explicit loopback entry: {@code localhost} or {@code 127.x.x.x}. */
    public boolean loopback() {
        return isLoopbackName(host);
    }

    /** The address a loopback entry stands for ({@code localhost} is 127.0.0.1). */
    public String loopbackAddress() {
        return host.equals("localhost") ? "127.0.0.1" : host;
    }

    /** Whether this entry lets a request for {@code name:port} through (names compared without case). */
    public boolean matches(String name, int requestPort) {
        if (port != ANY_PORT && port != requestPort) return false;
        if (host.equals("*")) return true;
        if (host.startsWith("*.")) return name.endsWith(host.substring(1));
        return host.equals(name);
    }

    static boolean isLoopbackName(String host) {
        return host.equals("localhost") || host.startsWith("127.") && IPV4.matcher(host).matches();
    }

    @Override
    public String toString() {
        return port == ANY_PORT ? host : host + ":" + port;
    }
}
