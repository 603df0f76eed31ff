package io.deksdenflow.orchestrator.notify;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The server-side request forgery guard of outbound notification URLs: http(s) only, no user info, and a host
 * that resolves to public addresses only — never loopback, private (RFC 1918, IPv6 unique local), shared
 * (100.64/10), link-local (169.254/16 with the cloud metadata address, fe80::/10), multicast, or the
 * unspecified address. Checked when a channel is saved (422) and again at delivery, on the addresses the
 * connection then uses ({@link #addresses}, the HTTP client's DNS resolver), so that a name re-pointed after
 * the check (DNS rebinding) is refused too. DEKSDENFLOW_NOTIFY_ALLOW_PRIVATE=true turns the address check off
 * (tests, intranets); the syntax check stays.
 */
final class UrlGuard {
    private final boolean allowPrivate;

    UrlGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** A host resolved to an address the guard refuses. */
    static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String message) {
            super(message);
        }
    }

    /** The URL's syntax and, unless private addresses are allowed, where its host resolves; 422 on {@code field}. */
    URI check(String field, String url) {
        URI uri = syntax(field, url);
        if (allowPrivate) return uri; // nothing to check on the addresses: no lookup (a name may resolve later)
        try {
            addresses(uri.getHost());
        } catch (UnknownHostException e) {
            throw new ValidationException(field, field + ": " + e.getMessage());
        }
        return uri;
    }

    /** Only the syntax: an absolute http(s) URL with a host and no user info. */
    static URI syntax(String field, String url) {
        if (url == null || url.isBlank()) throw new ValidationException(field, field + " is required");
        if (url.length() > 2000) throw new ValidationException(field, field + " is longer than 2000 characters");
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (Exception e) {
            throw new ValidationException(field, field + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new ValidationException(field, field + " must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) throw new ValidationException(field, field + " has no host");
        if (uri.getRawUserInfo() != null) throw new ValidationException(field, field + " must not carry user:password@");
        return uri;
    }

    /** The host's addresses, every one allowed; refused ({@link RefusedAddressException}) when any is not. */
    InetAddress[] addresses(String host) throws UnknownHostException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] all = InetAddress.getAllByName(h);
        if (allowPrivate) return all;
        for (InetAddress a : all) {
            if (!isPublic(a)) {
                throw new RefusedAddressException("host " + host + " resolves to " + a.getHostAddress()
                        + ", a loopback, private, link-local or metadata address (DEKSDENFLOW_NOTIFY_ALLOW_PRIVATE=true allows it)");
            }
        }
        return all;
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0 || first >= 240) return false;                 // "this network", reserved, broadcast
            if (first == 100 && second >= 64 && second <= 127) return false; // shared address space (CGNAT)
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) return false; // IETF protocol assignments
            return !(first == 198 && (second == 18 || second == 19));        // benchmarking
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) return false;                       // unique local fc00::/7 (fd00:ec2::254 too)
            boolean mappedOrCompat = true;                                 // ::ffff:a.b.c.d / ::a.b.c.d
            for (int i = 0; i < 10; i++) mappedOrCompat &= b[i] == 0;
            if (mappedOrCompat) {
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {        // 6to4 2002::/16 wraps an IPv4 address
                try {
                    return isPublic(InetAddress.getByAddress(new byte[] {b[2], b[3], b[4], b[5]}));
                } catch (UnknownHostException e) {
                    return false;
                }
            }
        }
        return true;
    }
}
