package io.deksdenflow.orchestrator.engine.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which {@code host:port} an agent may reach through its egress path. A request passes when an entry
 * names it and the service's own DNS lookup gives at least one public address (the connection goes to
 * that address, so a name that later resolves elsewhere changes nothing). Loopback, private (RFC 1918,
 * CGNAT 100.64/10, ULA fc00::/7), link-local (169.254/16 with the cloud metadata address, fe80::/10),
 * unspecified, multicast and reserved addresses are refused, whatever the list says, unless the request
 * names exactly a listed loopback {@code host:port}.
 */
public final class EgressPolicy {

    /** Looks a name up (the JVM's resolver; tests substitute their own). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Allowed with the addresses to try, or refused with the reason. */
    public record Decision(boolean allowed, List<InetAddress> addresses, String reason) {
        static Decision deny(String reason) { return new Decision(false, List.of(), reason); }
    }

    /** The reason when an allowed name does not resolve: a failure, not a refusal (no event). */
    public static final String UNKNOWN_HOST = "unknown host";

    private final List<EgressRule> rules;
    private final Resolver resolver;

    private EgressPolicy(List<EgressRule> rules, Resolver resolver) {
        this.rules = List.copyOf(rules);
        this.resolver = resolver;
    }

    /** The policy of these entries (each validated by {@link EgressRule#parse}). */
    public static EgressPolicy of(Collection<String> entries) {
        return of(entries, InetAddress::getAllByName);
    }

    public static EgressPolicy of(Collection<String> entries, Resolver resolver) {
        Set<EgressRule> rules = new LinkedHashSet<>();
        for (String e : entries) rules.add(EgressRule.parse(e));
        return new EgressPolicy(new ArrayList<>(rules), resolver);
    }

    /** The entries, normalised, or an {@link IllegalArgumentException} naming the first bad one. */
    public static List<String> validate(Collection<String> entries) {
        return of(entries).rules.stream().map(EgressRule::toString).toList();
    }

    public List<EgressRule> rules() { return rules; }

    /** The explicit loopback entries: forwarded to the same port inside the agent's network namespace. */
    public List<EgressRule> loopbackRules() {
        return rules.stream().filter(EgressRule::loopback).toList();
    }

    public Decision decide(String rawHost, int port) {
        if (port < 1 || port > 65535) return Decision.deny("invalid port");
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty()) return Decision.deny("no host");
        if (EgressRule.isLoopbackName(host)) {
            String address = host.equals("localhost") ? "127.0.0.1" : host;
            for (EgressRule r : loopbackRules()) {
                if (r.port() == port && r.loopbackAddress().equals(address)) {
                    return literal(address).map(a -> new Decision(true, List.of(a), null))
                            .orElse(Decision.deny("not an address"));
                }
            }
            return Decision.deny("loopback " + host + ":" + port + " is not listed");
        }
        final String name = host;
        if (rules.stream().noneMatch(r -> !r.loopback() && r.matches(name, port))) {
            return Decision.deny("not on the allow-list");
        }
        InetAddress[] all;
        try {
            // an address literal is parsed, never looked up
            all = isLiteral(host) ? new InetAddress[] {InetAddress.getByName(host)} : resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Decision.deny(UNKNOWN_HOST);
        }
        List<InetAddress> ok = new ArrayList<>();
        String refused = null;
        for (InetAddress a : all) {
            String why = forbidden(a);
            if (why == null) ok.add(a);
            else if (refused == null) refused = why + " address " + a.getHostAddress();
        }
        if (ok.isEmpty()) return Decision.deny(refused == null ? "no address" : refused);
        return new Decision(true, ok, null);
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static Optional<InetAddress> literal(String ipv4) {
        try {
            return Optional.of(InetAddress.getByName(ipv4));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Why an address is never reachable through the egress path, or null for a public address. */
    public static String forbidden(InetAddress a) {
        if (a.isLoopbackAddress()) return "loopback";
        if (a.isAnyLocalAddress()) return "unspecified";
        if (a.isLinkLocalAddress()) return "link-local";
        if (a.isSiteLocalAddress()) return "private";
        if (a.isMulticastAddress()) return "multicast";
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return forbidden4(b);
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) return "private";
            boolean zeroPrefix = true;
            for (int i = 0; i < 12; i++) zeroPrefix &= b[i] == 0;
            // IPv4-compatible ::a.b.c.d and NAT64 64:ff9b::a.b.c.d carry an IPv4 address; 6to4 2002:aabb:ccdd::
            boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            if (zeroPrefix || nat64) return embedded(b, 12);
            if (b[0] == 0x20 && b[1] == 0x02) return embedded(b, 2);
        }
        return null;
    }

    private static String embedded(byte[] b, int from) {
        byte[] v4 = new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
        try {
            String why = forbidden(InetAddress.getByAddress(v4));
            return why == null ? null : why + " (embedded IPv4)";
        } catch (UnknownHostException e) {
            return "invalid";
        }
    }

    private static String forbidden4(byte[] b) {
        int o0 = b[0] & 0xff;
        int o1 = b[1] & 0xff;
        if (o0 == 0) return "unspecified";
        if (o0 == 10 || o0 == 172 && (o1 & 0xf0) == 16 || o0 == 192 && o1 == 168) return "private";
        if (o0 == 100 && (o1 & 0xc0) == 64) return "private (CGNAT)";
        if (o0 == 127) return "loopback";
        if (o0 == 169 && o1 == 254) return "link-local";
        if (o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0) return "reserved";
        if (o0 == 198 && (o1 & 0xfe) == 18) return "reserved";
        if (o0 >= 224) return o0 < 240 ? "multicast" : "reserved";
        return null;
    }
}
