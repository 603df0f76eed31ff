package io.deksdenflow.orchestrator.git;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which repository addresses a project may use: https, ssh ({@code ssh://} or {@code user@host:path}),
 * {@code file://} and absolute local paths, at most 2,048 characters. Never an option ("-...", nor a
 * host or user starting with "-", which ssh would read as one), never a remote-helper transport
 * ({@code ext::}, {@code fd::}, ...), never plain http/git (credentials in clear). Where local
 * repositories may live is {@link GitUrlPolicy}'s concern.
 */
public final class GitUrls {
    private static final Pattern SCP_LIKE = Pattern.compile("^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\\s]+$");
    public static final int MAX_LENGTH = 2048;

    private GitUrls() {}

    public static String validate(String url) {
        if (url == null || url.isBlank()) throw new ValidationException("git_url", "git_url is required");
        String u = url.strip();
        if (u.length() > MAX_LENGTH) throw new ValidationException("git_url", "git_url is longer than " + MAX_LENGTH + " characters");
        if (u.startsWith("-")) throw new ValidationException("git_url", "git_url must not start with '-'");
        if (u.contains("::")) throw new ValidationException("git_url", "remote-helper transports (e.g. ext::) are not allowed");
        if (u.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) throw new ValidationException("git_url", "git_url contains control characters");
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("ssh://") || lower.startsWith("file://")) {
            try {
                URI.create(u);
            } catch (IllegalArgumentException e) {
                throw new ValidationException("git_url", "git_url is not a valid URL");
            }
            requireNoOptionLikeAuthority(u.substring(lower.indexOf("://") + 3));
            return u;
        }
        if (lower.contains("://")) throw new ValidationException("git_url", "git_url scheme must be https, ssh or file");
        if (SCP_LIKE.matcher(u).matches()) {
            requireNoOptionLikeAuthority(u.substring(0, u.indexOf(':')));
            return u;
        }
        if (u.startsWith("/")) return u;
        throw new ValidationException("git_url", "git_url must be an https/ssh/file URL or an absolute path");
    }

    /** The user and host of {@code authority...} (up to the first '/'): neither may start with '-', even percent-encoded. */
    private static void requireNoOptionLikeAuthority(String rest) {
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int at = authority.lastIndexOf('@');
        String user = at < 0 ? "" : authority.substring(0, at);
        String host = at < 0 ? authority : authority.substring(at + 1);
        if (optionLike(user)) throw new ValidationException("git_url", "the user in git_url must not start with '-'");
        if (optionLike(host)) throw new ValidationException("git_url", "the host in git_url must not start with '-'");
    }

    private static boolean optionLike(String part) {
        String p = part.strip();
        return p.startsWith("-") || p.regionMatches(true, 0, "%2d", 0, 3);
    }

    /**
     * The local paths a {@code file://} URL or an absolute path may name (for URLs both the
     * percent-decoded and the raw path, whichever git uses), or none for a remote URL. Call on a
     * {@link #validate validated} URL.
     */
    public static List<Path> localPaths(String url) {
        String u = url.strip();
        if (u.startsWith("/")) return List.of(Path.of(u));
        if (!u.toLowerCase(Locale.ROOT).startsWith("file://")) return List.of();
        URI uri = URI.create(u);
        String host = uri.getRawAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
            throw new ValidationException("git_url", "file:// URLs must name a local path (file:///path)");
        }
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) throw new ValidationException("git_url", "file:// URLs must name an absolute path");
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ValidationException("git_url", "git_url contains encoded control characters");
        }
        try {
            return path.equals(uri.getRawPath()) ? List.of(Path.of(path)) : List.of(Path.of(path), Path.of(uri.getRawPath()));
        } catch (java.nio.file.InvalidPathException e) {
            throw new ValidationException("git_url", "git_url is not a valid path");
        }
    }

    /** {@code https://host/} of an https URL (for scoping the auth header), else null. */
    static String httpsOrigin(String url) {
        if (!url.toLowerCase(Locale.ROOT).startsWith("https://")) return null;
        URI uri = URI.create(url);
        String host = uri.getHost();
        if (host == null) return null;
        return "https://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/";
    }

    static boolean isLocalPath(String url) { return url.startsWith("/"); }
}
